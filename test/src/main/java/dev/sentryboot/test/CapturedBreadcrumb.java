package dev.sentryboot.test;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A breadcrumb of a captured event, as Sentry receives it.
 *
 * @param category the category ({@code http}, {@code query}, ...)
 * @param message the message, such as the SQL of a query
 * @param level the level, {@code null} for Sentry's default ({@code info})
 * @param type the type, such as {@code http}
 * @param data the data, such as {@code duration_ms}
 */
public record CapturedBreadcrumb(@Nullable String category, @Nullable String message, @Nullable String level,
		@Nullable String type, Map<String, Object> data) {

	static CapturedBreadcrumb of(Map<String, Object> json) {
		return new CapturedBreadcrumb(Json.string(json.get("category")), Json.string(json.get("message")),
				Json.string(json.get("level")), Json.string(json.get("type")), Json.object(json.get("data")));
	}

	/**
	 * What the breadcrumb says: its message, or its data for one without a message (an
	 * {@code http} breadcrumb has the URL and method there).
	 */
	public String text() {
		return (this.message != null) ? this.message : this.data.toString();
	}

	@Override
	public String toString() {
		return "[" + this.category + "] " + text();
	}

}
