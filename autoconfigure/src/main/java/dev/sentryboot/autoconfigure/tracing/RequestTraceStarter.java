package dev.sentryboot.autoconfigure.tracing;

import io.sentry.IScopes;
import io.sentry.ITransaction;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Where the trace of a web request begins: continues the caller's trace (or starts a new one) on
 * the request's own scopes, takes the sampling decision, and starts the transaction only when
 * the request is sampled. The only place that does so; define a bean of this type to take the
 * trace from elsewhere (another tracer, for example).
 */
@FunctionalInterface
public interface RequestTraceStarter {

	/**
	 * Called once per request (not for ignored paths), before the application sees it.
	 * @param request the incoming request, with its trace headers
	 * @param scopes the request's own scopes; whatever trace is set on them is what errors and
	 * outgoing calls of the request carry
	 * @return the transaction, bound to {@code scopes}, or {@code null} when the request is not
	 * sampled
	 */
	@Nullable ITransaction start(HttpServletRequest request, IScopes scopes);

}
