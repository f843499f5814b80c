package dev.sentryboot.autoconfigure.web;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.sentry.Breadcrumb;
import io.sentry.EventProcessor;
import io.sentry.Hint;
import io.sentry.SentryBaseEvent;
import io.sentry.SentryEvent;
import io.sentry.protocol.Request;
import io.sentry.protocol.SentryTransaction;
import io.sentry.protocol.User;
import io.sentry.util.HttpUtils;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Adds the request (and, with {@code send-default-pii}, the user and client IP) to every event
 * captured while one web request runs, and the request's {@code http} breadcrumb at the time the
 * request started. Built only when an event is captured: requests without errors pay nothing for
 * it.
 */
final class HttpRequestEventProcessor implements EventProcessor {

	private static final int MAX_HEADERS = 100;

	private final HttpServletRequest request;

	private final boolean sendDefaultPii;

	private final List<SentryUserProvider> userProviders;

	private final long startMillis;

	private final int maxBreadcrumbs;

	private volatile @Nullable User user;

	HttpRequestEventProcessor(HttpServletRequest request, boolean sendDefaultPii,
			List<SentryUserProvider> userProviders, int maxBreadcrumbs) {
		this.request = request;
		this.sendDefaultPii = sendDefaultPii;
		this.userProviders = userProviders;
		this.maxBreadcrumbs = maxBreadcrumbs;
		this.startMillis = System.currentTimeMillis();
	}

	/**
	 * Resolves the user now, while the security context of the request is still in place; the
	 * filter may capture after it was cleared.
	 */
	void rememberUser() {
		if (this.sendDefaultPii) {
			currentUser();
		}
	}

	private User currentUser() {
		User known = this.user;
		if (known != null) {
			return known;
		}
		User resolved = resolveUser();
		if (resolved.getId() != null || resolved.getUsername() != null) {
			this.user = resolved;
		}
		return resolved;
	}

	@Override
	public @Nullable SentryEvent process(SentryEvent event, Hint hint) {
		apply(event);
		return event;
	}

	@Override
	public @Nullable SentryTransaction process(SentryTransaction transaction, Hint hint) {
		apply(transaction);
		return transaction;
	}

	@Override
	public @Nullable Long getOrder() {
		return 0L;
	}

	private void apply(SentryBaseEvent event) {
		try {
			if (event.getRequest() == null) {
				event.setRequest(toSentryRequest());
			}
			if (this.sendDefaultPii) {
				if (event.getUser() == null) {
					event.setUser(new User(currentUser()));
				}
			}
			addRequestBreadcrumb(event);
		}
		catch (RuntimeException ex) {
			// A recycled or half-broken request must not cost the event itself.
		}
	}

	/**
	 * The request's breadcrumb is made here rather than added to the scope when the request
	 * starts: most requests capture nothing, and a breadcrumb on the scope costs every one of them
	 * an object, a map and a pass through the before-breadcrumb chain. The event's breadcrumbs are
	 * sorted by time, so it goes before the first one that is younger; the scrubber sees it with
	 * the rest of the event. Same millisecond: the request came first.
	 */
	private void addRequestBreadcrumb(SentryBaseEvent event) {
		if (this.maxBreadcrumbs <= 0) {
			return;
		}
		Breadcrumb breadcrumb = new Breadcrumb(this.startMillis);
		breadcrumb.setType("http");
		breadcrumb.setCategory("http");
		breadcrumb.setData("url", this.request.getRequestURL().toString());
		breadcrumb.setData("method", this.request.getMethod().toUpperCase(Locale.ROOT));
		List<Breadcrumb> breadcrumbs = event.getBreadcrumbs();
		if (breadcrumbs == null) {
			breadcrumbs = new ArrayList<>();
			event.setBreadcrumbs(breadcrumbs);
		}
		int at = 0;
		while (at < breadcrumbs.size() && breadcrumbs.get(at).getTimestamp().before(breadcrumb.getTimestamp())) {
			at++;
		}
		breadcrumbs.add(at, breadcrumb);
		if (breadcrumbs.size() > this.maxBreadcrumbs) {
			breadcrumbs.remove(0);
		}
	}

	private Request toSentryRequest() {
		Request sentryRequest = new Request();
		sentryRequest.setMethod(this.request.getMethod());
		// Rebuilt by the container from scheme, host, port and path: it never holds user info.
		sentryRequest.setUrl(this.request.getRequestURL().toString());
		sentryRequest.setQueryString(this.request.getQueryString());
		sentryRequest.setHeaders(headers());
		if (this.sendDefaultPii) {
			String cookies = String.join("; ", Collections.list(this.request.getHeaders(HttpUtils.COOKIE_HEADER_NAME)));
			sentryRequest.setCookies(cookies.isEmpty() ? null : HttpUtils.filterOutSecurityCookies(cookies, null));
			Map<String, String> env = new LinkedHashMap<>();
			env.put("REMOTE_ADDR", this.request.getRemoteAddr());
			sentryRequest.setEnvs(env);
		}
		return sentryRequest;
	}

	private Map<String, String> headers() {
		Map<String, String> headers = new LinkedHashMap<>();
		Enumeration<String> names = this.request.getHeaderNames();
		while (names != null && names.hasMoreElements() && headers.size() < MAX_HEADERS) {
			String name = names.nextElement();
			if (!HttpUtils.containsSensitiveHeader(name)) {
				headers.put(name, String.join(",", Collections.list(this.request.getHeaders(name))));
			}
		}
		return headers;
	}

	private User resolveUser() {
		User merged = null;
		for (SentryUserProvider provider : this.userProviders) {
			User provided = provider.provideUser(this.request);
			if (provided != null) {
				merged = (merged != null) ? merge(merged, provided) : new User(provided);
			}
		}
		if (merged == null) {
			merged = new User();
		}
		if (merged.getIpAddress() == null) {
			// As Spring Boot's forwarded-header handling left it, never a raw X-Forwarded-For.
			merged.setIpAddress(this.request.getRemoteAddr());
		}
		return merged;
	}

	private static User merge(User base, User override) {
		if (override.getId() != null) {
			base.setId(override.getId());
		}
		if (override.getUsername() != null) {
			base.setUsername(override.getUsername());
		}
		if (override.getEmail() != null) {
			base.setEmail(override.getEmail());
		}
		if (override.getIpAddress() != null) {
			base.setIpAddress(override.getIpAddress());
		}
		if (override.getName() != null) {
			base.setName(override.getName());
		}
		if (override.getData() != null) {
			Map<String, String> data = (base.getData() != null) ? new LinkedHashMap<>(base.getData())
					: new LinkedHashMap<>();
			data.putAll(override.getData());
			base.setData(data);
		}
		return base;
	}

}
