package dev.sentryboot.autoconfigure.tracing;

import java.util.ArrayList;
import java.util.List;

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

	private final IgnoredPaths ignoredPaths;

	private final UrlPathHelper paths = new UrlPathHelper();

	public SentryRequestTracing(RequestTraceStarter starter, List<String> ignoredPaths) {
		this.starter = starter;
		this.ignoredPaths = new IgnoredPaths(ignoredPaths);
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
		return this.ignoredPaths.matches(this.paths.getPathWithinApplication(request));
	}

	/**
	 * The ignored-path patterns, sorted by shape so that every request runs a few tight loops of
	 * string comparisons rather than one predicate call per pattern: whole paths, prefixes
	 * ({@code /actuator/**}), file extensions ({@code /**}{@code /*.css}: one look for the path's
	 * last dot, and then only extensions of that length are compared), and the rest through
	 * Spring's Ant matcher. A path is ignored when any pattern matches it, whatever the order.
	 */
	static final class IgnoredPaths {

		private final String[] literals;

		private final String[] prefixes;

		// ".css": a dot, then neither a dot nor a slash, so a path ends with it exactly when the
		// text from the path's last dot on equals it.
		private final String[] extensions;

		private final String[] others;

		private final AntPathMatcher matcher = new AntPathMatcher();

		IgnoredPaths(List<String> patterns) {
			List<String> literals = new ArrayList<>();
			List<String> prefixes = new ArrayList<>();
			List<String> extensions = new ArrayList<>();
			List<String> others = new ArrayList<>();
			for (String raw : patterns) {
				String pattern = raw.trim();
				if (pattern.isEmpty()) {
					continue;
				}
				String prefix = pattern.endsWith("/**") ? pattern.substring(0, pattern.length() - 3) : "";
				String extension = pattern.startsWith("/**/*.") ? pattern.substring(5) : "";
				if (!prefix.isEmpty() && isLiteral(prefix)) {
					prefixes.add(prefix);
				}
				else if (!extension.isEmpty() && isLiteral(extension) && extension.indexOf('.', 1) < 0
						&& extension.indexOf('/') < 0) {
					extensions.add(extension);
				}
				else if (isLiteral(pattern)) {
					literals.add(pattern);
				}
				else {
					others.add(pattern);
				}
			}
			this.literals = literals.toArray(new String[0]);
			this.prefixes = prefixes.toArray(new String[0]);
			this.extensions = extensions.toArray(new String[0]);
			this.others = others.toArray(new String[0]);
		}

		boolean isEmpty() {
			return this.literals.length == 0 && this.prefixes.length == 0 && this.extensions.length == 0
					&& this.others.length == 0;
		}

		boolean matches(String path) {
			for (String literal : this.literals) {
				if (literal.equals(path)) {
					return true;
				}
			}
			for (String prefix : this.prefixes) {
				if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
					return true;
				}
			}
			if (this.extensions.length > 0) {
				int dot = path.lastIndexOf('.');
				if (dot >= 0) {
					int length = path.length() - dot;
					for (String extension : this.extensions) {
						if (extension.length() == length && path.startsWith(extension, dot)) {
							return true;
						}
					}
				}
			}
			for (String other : this.others) {
				if (this.matcher.match(other, path)) {
					return true;
				}
			}
			return false;
		}

	}

	private static boolean isLiteral(String pattern) {
		return pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0 && pattern.indexOf('{') < 0;
	}

}
