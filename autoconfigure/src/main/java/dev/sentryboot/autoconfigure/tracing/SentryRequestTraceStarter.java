package dev.sentryboot.autoconfigure.tracing;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.sentry.CustomSamplingContext;
import io.sentry.IScopes;
import io.sentry.ITransaction;
import io.sentry.SentryTraceHeader;
import io.sentry.TransactionContext;
import io.sentry.W3CTraceparentHeader;
import io.sentry.protocol.TransactionNameSource;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Continues the trace of the incoming {@code sentry-trace} and {@code baggage} headers, else of
 * a W3C {@code traceparent}, else starts a new trace; an incoming sampling decision is honoured,
 * otherwise the SDK's sampler decides ({@code TracesSamplerCallback}, then
 * {@code traces-sample-rate}). The decision is taken on the trace alone, so an unsampled request
 * costs a trace id and a random number: no transaction, no span.
 */
public final class SentryRequestTraceStarter implements RequestTraceStarter {

	/** Operation of server transactions, as Sentry's product expects it. */
	public static final String OPERATION = "http.server";

	static final String ORIGIN = "auto.http.sentry_boot";

	// version-traceid-parentid-flags; version ff is invalid, all-zero ids are invalid.
	private static final Pattern TRACEPARENT = Pattern
		.compile("^[0-9a-e][0-9a-f]-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$");

	private static final String ZERO_TRACE_ID = "0".repeat(32);

	private static final String ZERO_SPAN_ID = "0".repeat(16);

	@Override
	public @Nullable ITransaction start(HttpServletRequest request, IScopes scopes) {
		TransactionContext context = scopes.continueTrace(sentryTrace(request), baggage(request));
		if (context == null) {
			// Tracing is off: errors and outgoing calls still carry the caller's trace.
			return null;
		}
		// The route is known only after handler mapping; the filter names the transaction then.
		// A sampler reads the request itself from the sampling context ("request").
		context.setName(SentryRequestTracing.unmatchedName(request.getMethod()));
		context.setTransactionNameSource(TransactionNameSource.ROUTE);
		context.setOperation(OPERATION);
		CustomSamplingContext custom = null;
		if (scopes.getOptions().getTracesSampler() != null) {
			custom = new CustomSamplingContext();
			custom.set("request", request);
		}
		return SampledTransactions.start(scopes, context, custom, ORIGIN);
	}

	private static @Nullable String sentryTrace(HttpServletRequest request) {
		String sentryTrace = request.getHeader(SentryTraceHeader.SENTRY_TRACE_HEADER);
		if (sentryTrace != null) {
			return sentryTrace;
		}
		return fromTraceparent(request.getHeader(W3CTraceparentHeader.TRACEPARENT_HEADER));
	}

	/**
	 * The SDK reads only {@code sentry-trace}; a W3C {@code traceparent} carries the same three
	 * facts (trace id, parent span id, sampled flag), so it is continued in that form.
	 */
	static @Nullable String fromTraceparent(@Nullable String traceparent) {
		if (traceparent == null) {
			return null;
		}
		var matcher = TRACEPARENT.matcher(traceparent.trim().toLowerCase(Locale.ROOT));
		if (!matcher.matches() || ZERO_TRACE_ID.equals(matcher.group(1)) || ZERO_SPAN_ID.equals(matcher.group(2))) {
			return null;
		}
		boolean sampled = (Integer.parseInt(matcher.group(3), 16) & 0x01) == 1;
		return matcher.group(1) + "-" + matcher.group(2) + "-" + (sampled ? "1" : "0");
	}

	private static @Nullable List<String> baggage(HttpServletRequest request) {
		var headers = request.getHeaders("baggage");
		return (headers != null && headers.hasMoreElements()) ? Collections.list(headers) : null;
	}

}
