package dev.sentryboot.autoconfigure.tracing;

import java.util.List;
import java.util.function.Predicate;

import io.sentry.IScopes;
import io.sentry.ITransaction;
import io.sentry.SpanDataConvention;
import io.sentry.SpanStatus;
import io.sentry.protocol.TransactionNameSource;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.AntPathMatcher;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.UrlPathHelper;

/**
 * The tracing part of the request filter: skips ignored paths, lets the
 * {@link RequestTraceStarter} begin the trace, and finishes the transaction with the route
 * pattern as its name and the final status. Never throws into the request.
 */
public final class SentryRequestTracing {

	private static final Log logger = LogFactory.getLog(SentryRequestTracing.class);

	private final RequestTraceStarter starter;

	private final List<Predicate<String>> ignoredPaths;

	private final UrlPathHelper paths = new UrlPathHelper();

	public SentryRequestTracing(RequestTraceStarter starter, List<String> ignoredPaths) {
		this.starter = starter;
		AntPathMatcher matcher = new AntPathMatcher();
		this.ignoredPaths = ignoredPaths.stream()
			.map(String::trim)
			.filter((pattern) -> !pattern.isEmpty())
			.map((pattern) -> matching(pattern, matcher))
			.toList();
		this.paths.setRemoveSemicolonContent(true);
	}

	/**
	 * Begins the trace of a request on its scopes.
	 * @return the transaction, or {@code null} when the request is ignored or not sampled
	 */
	public @Nullable ITransaction start(HttpServletRequest request, IScopes scopes) {
		try {
			if (isIgnored(request)) {
				return null;
			}
			return this.starter.start(request, scopes);
		}
		catch (RuntimeException ex) {
			logger.debug("Sentry could not start the trace of a request", ex);
			return null;
		}
	}

	/**
	 * Names the transaction after the route the request matched and finishes it with the
	 * request's final status.
	 */
	public void finish(@Nullable ITransaction transaction, HttpServletRequest request, int status) {
		if (transaction == null) {
			return;
		}
		try {
			transaction.setName(name(request), TransactionNameSource.ROUTE);
			transaction.setData(SpanDataConvention.HTTP_STATUS_CODE_KEY, status);
			transaction.finish(SpanStatus.fromHttpStatusCode(status, SpanStatus.UNKNOWN));
		}
		catch (RuntimeException ex) {
			logger.debug("Sentry could not finish the transaction of a request", ex);
		}
	}

	/**
	 * {@code GET /api/orders/{id}}: the pattern of the handler mapping, never the raw path, which
	 * would make one transaction per order id.
	 */
	static String name(HttpServletRequest request) {
		Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
		return (pattern != null) ? request.getMethod() + " " + pattern : unmatchedName(request.getMethod());
	}

	/** Requests no handler matched (rejected by a filter, say) share one name per method. */
	static String unmatchedName(String method) {
		return method + " /**";
	}

	private boolean isIgnored(HttpServletRequest request) {
		if (this.ignoredPaths.isEmpty()) {
			return false;
		}
		String path = this.paths.getPathWithinApplication(request);
		for (Predicate<String> ignored : this.ignoredPaths) {
			if (ignored.test(path)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Every request is checked against every pattern: the usual shapes ({@code /actuator/**},
	 * {@code /**}{@code /*.css}, {@code /favicon.ico}) become plain string comparisons, the rest
	 * goes through the Ant matcher.
	 */
	static Predicate<String> matching(String pattern, AntPathMatcher matcher) {
		if (pattern.length() > 3 && pattern.endsWith("/**") && isLiteral(pattern.substring(0, pattern.length() - 3))) {
			String prefix = pattern.substring(0, pattern.length() - 3);
			return (path) -> path.startsWith(prefix)
					&& (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
		}
		if (pattern.startsWith("/**/*.") && isLiteral(pattern.substring(6))) {
			String suffix = pattern.substring(5);
			return (path) -> path.endsWith(suffix);
		}
		if (isLiteral(pattern)) {
			return pattern::equals;
		}
		return (path) -> matcher.match(pattern, path);
	}

	private static boolean isLiteral(String pattern) {
		return pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0 && pattern.indexOf('{') < 0;
	}

}
