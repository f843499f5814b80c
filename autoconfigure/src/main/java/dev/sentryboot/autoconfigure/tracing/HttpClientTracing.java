package dev.sentryboot.autoconfigure.tracing;

import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

import dev.sentryboot.autoconfigure.SentrySdk;
import io.sentry.BaggageHeader;
import io.sentry.IScopes;
import io.sentry.ISpan;
import io.sentry.SpanDataConvention;
import io.sentry.SpanStatus;
import io.sentry.W3CTraceparentHeader;
import io.sentry.util.TracingUtils;
import io.sentry.util.UrlUtils;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * What an outgoing HTTP call gets, whatever client makes it: a child span of the active span
 * ({@code http.client}, {@code GET http://host/path}) and, when the URL is a trace propagation
 * target, the trace headers ({@code sentry-trace}, {@code baggage}, {@code traceparent}). Without
 * a sampled transaction there is no span, but the headers still carry the request's trace and
 * its "not sampled" decision. Never fails a call.
 */
public final class HttpClientTracing {

	/** Operation of outgoing call spans, as Sentry's product expects it. */
	public static final String OPERATION = "http.client";

	private static final Log logger = LogFactory.getLog(HttpClientTracing.class);

	private final Supplier<@Nullable SentrySdk> sdk;

	public HttpClientTracing(Supplier<@Nullable SentrySdk> sdk) {
		this.sdk = sdk;
	}

	/**
	 * Starts the span of a call and adds the trace headers to it.
	 * @return the span, or {@code null} when no transaction is active
	 */
	public @Nullable ISpan start(String method, URI uri, HttpHeaders headers) {
		try {
			IScopes scopes = scopes();
			if (scopes == null) {
				return null;
			}
			ISpan span = null;
			ISpan parent = scopes.getSpan();
			if (parent != null && !parent.isNoOp()) {
				// Without query string and fragment (they may hold ids and secrets), without user info.
				String url = UrlUtils.parse(uri.toString()).getUrl();
				span = parent.startChild(OPERATION, method + " " + ((url != null) ? url : "unknown URL"));
				span.setData(SpanDataConvention.HTTP_METHOD_KEY, method);
				if (url != null) {
					span.setData("url", url);
				}
			}
			propagate(scopes, uri, headers, span);
			return span;
		}
		catch (Throwable ex) {
			logger.debug("Sentry could not trace an outgoing HTTP call", ex);
			return null;
		}
	}

	/** Finishes the span of a call that got a response. */
	public void finish(@Nullable ISpan span, int status) {
		if (span == null) {
			return;
		}
		try {
			span.setData(SpanDataConvention.HTTP_STATUS_CODE_KEY, status);
			span.finish(SpanStatus.fromHttpStatusCode(status, SpanStatus.UNKNOWN));
		}
		catch (Throwable ex) {
			logger.debug("Sentry could not finish the span of an outgoing HTTP call", ex);
		}
	}

	/** Finishes the span of a call that got no response (connection refused, timeout, ...). */
	public void fail(@Nullable ISpan span, Throwable failure) {
		if (span == null) {
			return;
		}
		try {
			span.setThrowable(failure);
			span.finish(SpanStatus.INTERNAL_ERROR);
		}
		catch (Throwable ex) {
			logger.debug("Sentry could not finish the span of an outgoing HTTP call", ex);
		}
	}

	private static void propagate(IScopes scopes, URI uri, HttpHeaders headers, @Nullable ISpan span) {
		List<String> baggage = headers.get(BaggageHeader.BAGGAGE_HEADER);
		TracingUtils.TracingHeaders trace = TracingUtils.traceIfAllowed(scopes, uri.toString(), baggage, span);
		if (trace == null) {
			return;
		}
		headers.set(trace.getSentryTraceHeader().getName(), trace.getSentryTraceHeader().getValue());
		BaggageHeader baggageHeader = trace.getBaggageHeader();
		if (baggageHeader != null) {
			// Replaces the caller's baggage: the SDK merged its third-party entries into this one.
			headers.set(baggageHeader.getName(), baggageHeader.getValue());
		}
		W3CTraceparentHeader traceparent = trace.getW3cTraceparentHeader();
		if (traceparent != null) {
			headers.set(traceparent.getName(), traceparent.getValue());
		}
	}

	/** Scopes of the calling thread's unit of work, when it belongs to this application's SDK. */
	private @Nullable IScopes scopes() {
		SentrySdk current = this.sdk.get();
		return (current != null) ? current.getUnitOfWorkScopes() : null;
	}

}
