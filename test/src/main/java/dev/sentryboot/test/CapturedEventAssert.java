package dev.sentryboot.test;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.sentry.SentryLevel;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one captured error event. Each failure shows the event and what it holds.
 */
public final class CapturedEventAssert extends AbstractAssert<CapturedEventAssert, CapturedEvent> {

	CapturedEventAssert(CapturedEvent event) {
		super(event, CapturedEventAssert.class);
	}

	/**
	 * Verifies that the reported exception, the one thrown (not one of its causes), is of the
	 * given class exactly.
	 */
	public CapturedEventAssert hasExceptionOfType(Class<? extends Throwable> type) {
		isNotNull();
		if (!type.getName().equals(this.actual.exceptionType())) {
			throw failure("%nExpecting Sentry event:%n  %s%nto report an exception of type:%n  %s%nbut it reported:%n  %s",
					this.actual, type.getName(), describeExceptions());
		}
		return this;
	}

	/** Verifies that one of the causes of the reported exception is of the given class exactly. */
	public CapturedEventAssert hasCauseOfType(Class<? extends Throwable> type) {
		isNotNull();
		List<String> types = this.actual.exceptionTypes();
		if (!types.subList(Math.min(1, types.size()), types.size()).contains(type.getName())) {
			throw failure("%nExpecting Sentry event:%n  %s%nto have a cause of type:%n  %s%nbut its exceptions were:%n  %s",
					this.actual, type.getName(), describeExceptions());
		}
		return this;
	}

	/** Verifies that the message of the reported exception contains the given text. */
	public CapturedEventAssert hasExceptionMessageContaining(String text) {
		isNotNull();
		String message = this.actual.exceptionMessage();
		if (message == null || !message.contains(text)) {
			throw failure("%nExpecting Sentry event:%n  %s%nto report an exception whose message contains:%n  %s%nbut the message was:%n  %s",
					this.actual, text, message);
		}
		return this;
	}

	/** Verifies that the event was captured as a message containing the given text. */
	public CapturedEventAssert hasMessageContaining(String text) {
		isNotNull();
		String message = this.actual.message();
		if (message == null || !message.contains(text)) {
			throw failure("%nExpecting Sentry event:%n  %s%nto have a message containing:%n  %s%nbut the message was:%n  %s",
					this.actual, text, message);
		}
		return this;
	}

	public CapturedEventAssert hasLevel(SentryLevel level) {
		isNotNull();
		String expected = level.name().toLowerCase(java.util.Locale.ROOT);
		if (!expected.equals(this.actual.level())) {
			throw failure("%nExpecting Sentry event:%n  %s%nto have level:%n  %s%nbut it had:%n  %s", this.actual,
					expected, this.actual.level());
		}
		return this;
	}

	public CapturedEventAssert hasTag(String name, String value) {
		isNotNull();
		Map<String, String> tags = this.actual.tags();
		if (!value.equals(tags.get(name))) {
			throw failure("%nExpecting Sentry event:%n  %s%nto have tag:%n  %s=%s%nbut its tags were:%n  %s", this.actual,
					name, value, tags);
		}
		return this;
	}

	public CapturedEventAssert doesNotHaveTag(String name) {
		isNotNull();
		Map<String, String> tags = this.actual.tags();
		if (tags.containsKey(name)) {
			throw failure("%nExpecting Sentry event:%n  %s%nnot to have tag:%n  %s%nbut it had:%n  %s=%s", this.actual,
					name, name, tags.get(name));
		}
		return this;
	}

	/**
	 * Verifies the username of the event's user (with {@code sentry.send-default-pii=true}, the
	 * logged-in user of the request).
	 */
	public CapturedEventAssert hasUser(String username) {
		isNotNull();
		if (!username.equals(this.actual.username())) {
			throw failure("%nExpecting Sentry event:%n  %s%nto have user:%n  %s%nbut its user was:%n  %s", this.actual,
					username, this.actual.user());
		}
		return this;
	}

	/** Verifies that the event names no user: neither an id nor a username nor an email. */
	public CapturedEventAssert hasNoUser() {
		isNotNull();
		Map<String, Object> user = this.actual.user();
		if (user.get("id") != null || user.get("username") != null || user.get("email") != null) {
			throw failure("%nExpecting Sentry event:%n  %s%nto have no user%nbut its user was:%n  %s", this.actual, user);
		}
		return this;
	}

	/**
	 * Verifies that a breadcrumb of the given category has a {@linkplain CapturedBreadcrumb#text()
	 * text} that contains the given one: for queries part of the SQL, for {@code http} part of
	 * the URL.
	 */
	public CapturedEventAssert hasBreadcrumb(String category, String text) {
		isNotNull();
		for (CapturedBreadcrumb breadcrumb : this.actual.breadcrumbs()) {
			if (category.equals(breadcrumb.category()) && breadcrumb.text().contains(text)) {
				return this;
			}
		}
		throw failure("%nExpecting Sentry event:%n  %s%nto have a breadcrumb [%s] containing:%n  %s%nbut its breadcrumbs were:%n  %s",
				this.actual, category, text, describeBreadcrumbs());
	}

	/**
	 * Verifies that the last breadcrumb of the given category, the one closest to the error, has
	 * a {@linkplain CapturedBreadcrumb#text() text} that contains the given one (for queries:
	 * the statement that ran last).
	 */
	public CapturedEventAssert hasLastBreadcrumb(String category, String text) {
		isNotNull();
		CapturedBreadcrumb last = null;
		for (CapturedBreadcrumb breadcrumb : this.actual.breadcrumbs()) {
			if (category.equals(breadcrumb.category())) {
				last = breadcrumb;
			}
		}
		if (last == null || !last.text().contains(text)) {
			throw failure("%nExpecting Sentry event:%n  %s%nto have a last breadcrumb [%s] containing:%n  %s%nbut its breadcrumbs were:%n  %s",
					this.actual, category, text, describeBreadcrumbs());
		}
		return this;
	}

	/** Verifies the transaction of the event: for a web request, its route such as {@code GET /orders/{id}}. */
	public CapturedEventAssert hasTransaction(String name) {
		isNotNull();
		if (!Objects.equals(name, this.actual.transaction())) {
			throw failure("%nExpecting Sentry event:%n  %s%nto belong to transaction:%n  %s%nbut it belonged to:%n  %s",
					this.actual, name, this.actual.transaction());
		}
		return this;
	}

	/** Verifies the request of the event: its method, and a URL that ends with the given path. */
	public CapturedEventAssert hasRequest(String method, String path) {
		isNotNull();
		Map<String, Object> request = this.actual.request();
		Object url = request.get("url");
		if (!method.equals(request.get("method")) || url == null || !url.toString().endsWith(path)) {
			throw failure("%nExpecting Sentry event:%n  %s%nto have request:%n  %s %s%nbut it had:%n  %s %s", this.actual,
					method, path, request.get("method"), url);
		}
		return this;
	}

	private String describeExceptions() {
		List<String> types = this.actual.exceptionTypes();
		return types.isEmpty() ? "no exception" : String.join(" caused by ", types);
	}

	private String describeBreadcrumbs() {
		List<CapturedBreadcrumb> breadcrumbs = this.actual.breadcrumbs();
		if (breadcrumbs.isEmpty()) {
			return "none";
		}
		StringBuilder text = new StringBuilder();
		for (CapturedBreadcrumb breadcrumb : breadcrumbs) {
			text.append((text.length() > 0) ? String.format("%n  ") : "").append(breadcrumb);
		}
		return text.toString();
	}

}
