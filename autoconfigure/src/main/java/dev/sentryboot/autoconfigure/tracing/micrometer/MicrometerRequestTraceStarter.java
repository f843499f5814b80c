package dev.sentryboot.autoconfigure.tracing.micrometer;

import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;

import dev.sentryboot.autoconfigure.tracing.RequestTraceStarter;
import dev.sentryboot.autoconfigure.tracing.SentryRequestTraceStarter;
import io.micrometer.tracing.Tracer;
import io.sentry.BaggageHeader;
import io.sentry.IScopes;
import io.sentry.ITransaction;
import io.sentry.SentryTraceHeader;
import io.sentry.W3CTraceparentHeader;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

/**
 * Begins a request's Sentry trace inside the trace Micrometer already started for it (Spring's
 * {@code ServerHttpObservationFilter} runs before the Sentry filter): same trace id, the
 * {@code http.server} span as parent. Sampling stays Sentry's: the flag of an incoming
 * {@code sentry-trace} when there is one, otherwise the Sentry sampler. Without a current
 * Micrometer span (no bridge, observation off) the request is traced as without Micrometer.
 * <p>
 * Everything else (sampling, naming, the transaction) is the delegate's: this class only
 * presents it the request as if the caller had sent Micrometer's trace.
 */
public final class MicrometerRequestTraceStarter implements RequestTraceStarter {

	private final Tracer tracer;

	private final RequestTraceStarter delegate;

	public MicrometerRequestTraceStarter(Tracer tracer) {
		this(tracer, new SentryRequestTraceStarter());
	}

	MicrometerRequestTraceStarter(Tracer tracer, RequestTraceStarter delegate) {
		this.tracer = tracer;
		this.delegate = delegate;
	}

	@Override
	public @Nullable ITransaction start(HttpServletRequest request, IScopes scopes) {
		MicrometerTraceIds ids = MicrometerTraceIds.current(this.tracer);
		return this.delegate.start((ids != null) ? new MicrometerTracedRequest(request, ids) : request, scopes);
	}

	/**
	 * The request with a {@code sentry-trace} header naming Micrometer's span, the caller's
	 * sampling flag kept. The caller's {@code traceparent} is hidden (the tracer has read it
	 * already), and its {@code baggage} is kept only when its Sentry trace is Micrometer's: a
	 * dynamic sampling context of another trace would describe the wrong trace.
	 */
	static final class MicrometerTracedRequest extends HttpServletRequestWrapper {

		private final String sentryTrace;

		private final boolean sameTrace;

		MicrometerTracedRequest(HttpServletRequest request, MicrometerTraceIds ids) {
			super(request);
			SentryTraceHeader incoming = parse(request.getHeader(SentryTraceHeader.SENTRY_TRACE_HEADER));
			Boolean sampled = (incoming != null) ? incoming.isSampled() : null;
			this.sentryTrace = ids.traceId() + "-" + ids.spanId()
					+ ((sampled != null) ? (sampled ? "-1" : "-0") : "");
			this.sameTrace = incoming != null && ids.traceId().equals(incoming.getTraceId().toString());
		}

		@Override
		public @Nullable String getHeader(String name) {
			String lower = name.toLowerCase(Locale.ROOT);
			if (SentryTraceHeader.SENTRY_TRACE_HEADER.equals(lower)) {
				return this.sentryTrace;
			}
			if (W3CTraceparentHeader.TRACEPARENT_HEADER.equals(lower)) {
				return null;
			}
			if (BaggageHeader.BAGGAGE_HEADER.equals(lower) && !this.sameTrace) {
				return null;
			}
			return super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			String lower = name.toLowerCase(Locale.ROOT);
			if (SentryTraceHeader.SENTRY_TRACE_HEADER.equals(lower)) {
				return Collections.enumeration(Collections.singletonList(this.sentryTrace));
			}
			if (W3CTraceparentHeader.TRACEPARENT_HEADER.equals(lower)
					|| (BaggageHeader.BAGGAGE_HEADER.equals(lower) && !this.sameTrace)) {
				return Collections.emptyEnumeration();
			}
			return super.getHeaders(name);
		}

		private static @Nullable SentryTraceHeader parse(@Nullable String value) {
			if (value == null) {
				return null;
			}
			try {
				return new SentryTraceHeader(value);
			}
			catch (Exception ex) {
				// Malformed: as if absent, the sampler decides.
				return null;
			}
		}

	}

}
