package dev.sentryboot.autoconfigure.actuate;

import java.util.List;
import java.util.Map;

import dev.sentryboot.autoconfigure.local.LocalEventStore;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/sentry}: the events of the local event store as Sentry receives them, newest
 * first; {@code DELETE} clears the store.
 */
@Endpoint(id = "sentry")
public final class SentryEndpoint {

	private final LocalEventStore store;

	public SentryEndpoint(LocalEventStore store) {
		this.store = store;
	}

	@ReadOperation
	public List<Map<String, Object>> events() {
		return this.store.events();
	}

	@DeleteOperation
	public void clear() {
		this.store.clear();
	}

}
