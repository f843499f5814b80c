package dev.sentryboot.test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An error event as Sentry receives it: the JSON the SDK sent, with accessors for what tests
 * usually check. Anything else is in {@link #json()}.
 */
public final class CapturedEvent {

	private final Map<String, Object> json;

	CapturedEvent(Map<String, Object> json) {
		this.json = Collections.unmodifiableMap(json);
	}

	/** The whole event, decoded into maps, lists, strings, numbers and booleans. */
	public Map<String, Object> json() {
		return this.json;
	}

	public @Nullable String eventId() {
		return Json.string(this.json.get("event_id"));
	}

	/** The level; Sentry reads a missing one as {@code error}. */
	public String level() {
		String level = Json.string(this.json.get("level"));
		return (level != null) ? level : "error";
	}

	/** The message of an event captured as a message, {@code null} for an exception. */
	public @Nullable String message() {
		Map<String, Object> message = Json.object(this.json.get("message"));
		String formatted = Json.string(message.get("formatted"));
		return (formatted != null) ? formatted : Json.string(message.get("message"));
	}

	/**
	 * Class names of the reported exception and its causes, the thrown one first (Sentry's JSON
	 * lists the innermost cause first).
	 */
	public List<String> exceptionTypes() {
		List<String> types = new ArrayList<>();
		for (Map<String, Object> exception : exceptions()) {
			String module = Json.string(exception.get("module"));
			String type = Json.string(exception.get("type"));
			types.add((module == null || module.isEmpty()) ? String.valueOf(type) : module + "." + type);
		}
		return types;
	}

	/** Class name of the thrown exception, {@code null} for a message event. */
	public @Nullable String exceptionType() {
		List<String> types = exceptionTypes();
		return types.isEmpty() ? null : types.get(0);
	}

	/** Message of the thrown exception. */
	public @Nullable String exceptionMessage() {
		List<Map<String, Object>> exceptions = exceptions();
		return exceptions.isEmpty() ? null : Json.string(exceptions.get(0).get("value"));
	}

	private List<Map<String, Object>> exceptions() {
		List<Map<String, Object>> values = Json.objects(Json.object(this.json.get("exception")).get("values"));
		Collections.reverse(values);
		return values;
	}

	public Map<String, String> tags() {
		return Json.strings(this.json.get("tags"));
	}

	/** The user ({@code id}, {@code username}, {@code email}, {@code ip_address}, ...), empty without one. */
	public Map<String, Object> user() {
		return Json.object(this.json.get("user"));
	}

	public @Nullable String username() {
		return Json.string(user().get("username"));
	}

	/** The breadcrumbs, oldest first. */
	public List<CapturedBreadcrumb> breadcrumbs() {
		return Json.objects(this.json.get("breadcrumbs")).stream().map(CapturedBreadcrumb::of).toList();
	}

	/** The transaction the event belongs to: the route of a web request, such as {@code GET /orders/{id}}. */
	public @Nullable String transaction() {
		return Json.string(this.json.get("transaction"));
	}

	/** The request ({@code method}, {@code url}, {@code headers}, ...), empty outside a request. */
	public Map<String, Object> request() {
		return Json.object(this.json.get("request"));
	}

	public Map<String, Object> contexts() {
		return Json.object(this.json.get("contexts"));
	}

	/** One line, as assertion failures show the event. */
	@Override
	public String toString() {
		StringBuilder line = new StringBuilder();
		String type = exceptionType();
		if (type != null) {
			line.append(type).append(": ").append(exceptionMessage());
		}
		else {
			line.append('"').append(message()).append('"');
		}
		if (transaction() != null) {
			line.append(" in ").append(transaction());
		}
		return line.append(" (event ").append(eventId()).append(')').toString();
	}

}
