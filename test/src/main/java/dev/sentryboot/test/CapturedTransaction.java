package dev.sentryboot.test;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A transaction as Sentry receives it: the JSON the SDK sent, with accessors for what tests
 * usually check. Anything else is in {@link #json()}.
 */
public final class CapturedTransaction {

	private final Map<String, Object> json;

	CapturedTransaction(Map<String, Object> json) {
		this.json = Collections.unmodifiableMap(json);
	}

	/** The whole transaction, decoded into maps, lists, strings, numbers and booleans. */
	public Map<String, Object> json() {
		return this.json;
	}

	public @Nullable String eventId() {
		return Json.string(this.json.get("event_id"));
	}

	/** The name, such as {@code GET /orders/{id}}. */
	public @Nullable String name() {
		return Json.string(this.json.get("transaction"));
	}

	/** The operation of the root span, such as {@code http.server}. */
	public @Nullable String op() {
		return Json.string(trace().get("op"));
	}

	/** The status of the root span, such as {@code ok} or {@code internal_error}. */
	public @Nullable String status() {
		return Json.string(trace().get("status"));
	}

	public @Nullable String traceId() {
		return Json.string(trace().get("trace_id"));
	}

	private Map<String, Object> trace() {
		return Json.object(Json.object(this.json.get("contexts")).get("trace"));
	}

	public Map<String, String> tags() {
		return Json.strings(this.json.get("tags"));
	}

	/** The child spans, in the order Sentry received them. */
	public List<CapturedSpan> spans() {
		return Json.objects(this.json.get("spans")).stream().map(CapturedSpan::of).toList();
	}

	/** One line, as assertion failures show the transaction. */
	@Override
	public String toString() {
		return name() + " [" + op() + ", " + status() + ", " + spans().size() + " spans] (event " + eventId() + ")";
	}

}
