package dev.sentryboot.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sentryboot.autoconfigure.local.LocalEventStore;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/sentry}: the events of the local event store as Sentry receives them, newest
 * first, each with a {@code delivery} entry (status, the SDK's reason when it failed or was
 * dropped, and when); {@code DELETE} clears the store.
 */
@Endpoint(id = "sentry")
public final class SentryEndpoint {

	private final LocalEventStore store;

	public SentryEndpoint(LocalEventStore store) {
		this.store = store;
	}

	@ReadOperation
	public List<Map<String, Object>> events() {
		List<Map<String, Object>> events = new ArrayList<>();
		for (Map<String, Object> event : this.store.events()) {
			Map<String, Object> shown = new LinkedHashMap<>(event);
			LocalEventStore.Delivery delivery = this.store.delivery(event);
			if (delivery != null) {
				Map<String, Object> status = new LinkedHashMap<>();
				status.put("status", delivery.status());
				if (delivery.reason() != null) {
					status.put("reason", delivery.reason());
				}
				status.put("at", delivery.at().toString());
				shown.put("delivery", status);
			}
			events.add(shown);
		}
		return events;
	}

	@DeleteOperation
	public void clear() {
		this.store.clear();
	}

}
