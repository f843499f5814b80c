package dev.sentryboot.autoconfigure.web;

import java.io.IOException;
import java.util.List;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.UnhandledErrors;
import dev.sentryboot.autoconfigure.tracing.SentryRequestTracing;
import io.sentry.IScopes;
import io.sentry.ISentryLifecycleToken;
import io.sentry.ITransaction;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.servlet.filter.OrderedFilter;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Gives each web request its own Sentry scopes (tags, user and breadcrumbs of one request never
 * reach another's events), attaches the request to its events, and captures the request's
 * exception once its status is final: a 5xx is reported, a 4xx is not. With tracing, the request
 * is also a transaction, finished (after the exception is captured, so the event carries its
 * trace) with the final status.
 */
public final class SentryRequestFilter extends OncePerRequestFilter implements OrderedFilter {

	/**
	 * Early, so that exceptions thrown by later filters (Spring Security among them) are seen,
	 * but after the forwarded-header and character-encoding filters.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	static final String MECHANISM_TYPE = "spring.mvc";

	private static final String SCOPES = SentryRequestFilter.class.getName() + ".scopes";

	private static final String PROCESSOR = SentryRequestFilter.class.getName() + ".processor";

	private static final String EXCEPTION = SentryRequestFilter.class.getName() + ".exception";

	private static final String TRANSACTION = SentryRequestFilter.class.getName() + ".transaction";

	private final SentrySdk sdk;

	private final boolean captureApiErrors;

	private final boolean sendDefaultPii;

	private final List<SentryUserProvider> userProviders;

	private final @Nullable SentryRequestTracing tracing;

	public SentryRequestFilter(SentrySdk sdk, boolean captureApiErrors, boolean sendDefaultPii,
			List<SentryUserProvider> userProviders, @Nullable SentryRequestTracing tracing) {
		this.sdk = sdk;
		this.captureApiErrors = captureApiErrors;
		this.sendDefaultPii = sendDefaultPii;
		this.userProviders = List.copyOf(userProviders);
		this.tracing = tracing;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		// The async dispatch ends the request: its status is the final one.
		return false;
	}

	static void recordException(HttpServletRequest request, Exception ex) {
		request.setAttribute(EXCEPTION, ex);
		if (request.getAttribute(PROCESSOR) instanceof HttpRequestEventProcessor processor) {
			processor.rememberUser();
		}
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.sdk.isActive()) {
			chain.doFilter(request, response);
			return;
		}
		IScopes scopes = scopesFor(request);
		Throwable thrown = null;
		try (ISentryLifecycleToken ignored = scopes.makeCurrent()) {
			try {
				chain.doFilter(request, response);
			}
			catch (ServletException | IOException | RuntimeException | Error ex) {
				thrown = ex;
				throw ex;
			}
			finally {
				if (!request.isAsyncStarted()) {
					finish(request, response, scopes, thrown);
				}
			}
		}
	}

	private IScopes scopesFor(HttpServletRequest request) {
		if (request.getAttribute(SCOPES) instanceof IScopes existing) {
			return existing;
		}
		IScopes scopes = this.sdk.getScopes().forkedScopes("SentryRequestFilter");
		HttpRequestEventProcessor processor = new HttpRequestEventProcessor(request, this.sendDefaultPii,
				this.userProviders, scopes.getOptions().getMaxBreadcrumbs());
		scopes.getIsolationScope().addEventProcessor(processor);
		request.setAttribute(SCOPES, scopes);
		request.setAttribute(PROCESSOR, processor);
		if (this.tracing != null) {
			ITransaction transaction = this.tracing.start(request, scopes);
			if (transaction != null) {
				request.setAttribute(TRANSACTION, transaction);
			}
		}
		return scopes;
	}

	private void finish(HttpServletRequest request, HttpServletResponse response, IScopes scopes,
			@Nullable Throwable thrown) {
		// An exception escaping the filter chain becomes a 500 in the container, unless the
		// response was already committed with another status.
		int status = (thrown != null && !response.isCommitted()) ? 500 : response.getStatus();
		try {
			Throwable exception = exceptionOf(request, thrown);
			if (exception != null && this.captureApiErrors && status >= 500) {
				capture(request, scopes, exception);
			}
		}
		catch (RuntimeException ex) {
			// Reporting must never break the request.
			logger.debug("Sentry could not report the exception of a request", ex);
		}
		if (this.tracing != null && request.getAttribute(TRANSACTION) instanceof ITransaction transaction) {
			request.removeAttribute(TRANSACTION);
			this.tracing.finish(transaction, request, status);
		}
	}

	private static @Nullable Throwable exceptionOf(HttpServletRequest request, @Nullable Throwable thrown) {
		if (request.getAttribute(EXCEPTION) instanceof Throwable recorded) {
			return recorded;
		}
		if (thrown instanceof ServletException servletException && servletException.getCause() != null) {
			return servletException.getCause();
		}
		return thrown;
	}

	private static void capture(HttpServletRequest request, IScopes scopes, Throwable exception) {
		request.removeAttribute(EXCEPTION);
		Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
		UnhandledErrors.capture(scopes, exception, MECHANISM_TYPE,
				(pattern != null) ? request.getMethod() + " " + pattern : null);
	}

}
