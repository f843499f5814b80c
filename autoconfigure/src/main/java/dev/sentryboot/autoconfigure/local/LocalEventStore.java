package dev.sentryboot.autoconfigure.local;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Bounded in-memory store of what the SDK sent (or, without a DSN, would have sent), each item
 * as the JSON Sentry receives, decoded into maps and lists. Read by the {@code sentry}
 * actuator endpoint, the project's tests and users' tests; the oldest item goes first when it
 * is full.
 */
public final class LocalEventStore {

	private final int capacity;

	private final Deque<Map<String, Object>> items = new ArrayDeque<>();

	public LocalEventStore(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be at least 1");
		}
		this.capacity = capacity;
	}

	void add(Map<String, Object> item) {
		synchronized (this.items) {
			if (this.items.size() == this.capacity) {
				this.items.removeLast();
			}
			this.items.addFirst(item);
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

}
