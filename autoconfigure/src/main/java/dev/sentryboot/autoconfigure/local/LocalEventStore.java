package dev.sentryboot.autoconfigure.local;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Bounded in-memory store of what the SDK sent (or, without a DSN, would have sent), each item
 * as the JSON Sentry receives, decoded into maps and lists. Read by the {@code sentry}
 * actuator endpoint, the project's tests and users' tests; the oldest item goes first when it
 * is full. Each item has a delivery status: {@code stored} (kept here only, no DSN), {@code queued},
 * then {@code sent}, {@code failed} or {@code dropped} with the SDK's reason, as reported by the
 * actuator's delivery tracking.
 */
public final class LocalEventStore {

	/** Kept here only: there is no DSN. */
	public static final String STORED = "stored";

	/** Handed to the transport, no answer from Sentry yet. */
	public static final String QUEUED = "queued";

	private final int capacity;

	private final Deque<Map<String, Object>> items = new ArrayDeque<>();

	// By event id; guarded by items, and bounded with them.
	private final Map<Object, Delivery> deliveries = new HashMap<>();

	public LocalEventStore(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be at least 1");
		}
		this.capacity = capacity;
	}

	void add(Map<String, Object> item) {
		add(item, STORED);
	}

	void add(Map<String, Object> item, String status) {
		synchronized (this.items) {
			if (this.items.size() == this.capacity) {
				Map<String, Object> oldest = this.items.removeLast();
				this.deliveries.remove(oldest.get("event_id"));
			}
			this.items.addFirst(item);
			Object id = item.get("event_id");
			if (id != null) {
				this.deliveries.put(id, new Delivery(status, null, Instant.now()));
			}
		}
	}

	/**
	 * Records what became of a stored item; ignored for one no longer (or never) stored.
	 */
	public void updateDelivery(String eventId, String status, @Nullable String reason) {
		synchronized (this.items) {
			this.deliveries.computeIfPresent(eventId, (id, old) -> new Delivery(status, reason, Instant.now()));
		}
	}

	/**
	 * The delivery status of a stored item, or {@code null} for one not stored.
	 */
	public @Nullable Delivery delivery(Map<String, Object> item) {
		synchronized (this.items) {
			Object id = item.get("event_id");
			return (id != null) ? this.deliveries.get(id) : null;
		}
	}

	/**
	 * Stored error events (no transactions), newest first.
	 */
	public List<Map<String, Object>> events() {
		return select(false);
	}

	/**
	 * Stored transactions, newest first.
	 */
	public List<Map<String, Object>> transactions() {
		return select(true);
	}

	/**
	 * Everything stored, events and transactions, newest first.
	 */
	public List<Map<String, Object>> all() {
		synchronized (this.items) {
			return List.copyOf(this.items);
		}
	}

	public void clear() {
		synchronized (this.items) {
			this.items.clear();
			this.deliveries.clear();
		}
	}

	public int capacity() {
		return this.capacity;
	}

	private List<Map<String, Object>> select(boolean transactions) {
		List<Map<String, Object>> selected = new ArrayList<>();
		synchronized (this.items) {
			for (Map<String, Object> item : this.items) {
				if (transactions == "transaction".equals(item.get("type"))) {
					selected.add(item);
				}
			}
		}
		return selected;
	}

	/**
	 * Delivery status of a stored item: {@code stored}, {@code queued}, {@code sent},
	 * {@code failed} or {@code dropped}; the SDK's discard reason for the last two.
	 */
	public record Delivery(String status, @Nullable String reason, Instant at) {
	}

}
