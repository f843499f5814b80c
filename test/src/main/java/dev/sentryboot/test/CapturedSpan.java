package dev.sentryboot.test;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A span of a captured transaction, as Sentry receives it.
 *
 * @param op the operation, such as {@code db.sql.query}
 * @param description the description, such as the SQL of a query
 * @param status the status, such as {@code ok}, {@code null} when none was set
 * @param data the data, such as {@code db.system}
 */
public record CapturedSpan(@Nullable String op, @Nullable String description, @Nullable String status,
		Map<String, Object> data) {

	static CapturedSpan of(Map<String, Object> json) {
		return new CapturedSpan(Json.string(json.get("op")), Json.string(json.get("description")),
				Json.string(json.get("status")), Json.object(json.get("data")));
	}

	@Override
	public String toString() {
		return this.op + " " + this.description;
	}

}
