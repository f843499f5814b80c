package dev.sentryboot.autoconfigure.tracing.micrometer;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

/**
 * The ids of Micrometer's current span in the form Sentry requires: a 32-hex trace id (Brave's
 * 64-bit trace ids are padded on the left, as W3C {@code traceparent} does) and a 16-hex span id.
 */
record MicrometerTraceIds(String traceId, String spanId, @Nullable String parentSpanId) {

	private static final String PADDING = "0".repeat(16);

	/**
	 * The ids of the tracer's current span, or {@code null} when there is none (the no-op tracer
	 * Spring Boot registers without a bridge never has one) or its ids are not usable.
	 */
	static @Nullable MicrometerTraceIds current(Tracer tracer) {
		Span span = tracer.currentSpan();
		if (span == null || span.isNoop()) {
			return null;
		}
		return of(span.context());
	}

	static @Nullable MicrometerTraceIds of(TraceContext context) {
		String traceId = normalize(context.traceId());
		if (traceId != null && traceId.length() == 16) {
			traceId = PADDING + traceId;
		}
		String spanId = normalize(context.spanId());
		if (traceId == null || traceId.length() != 32 || spanId == null || spanId.length() != 16) {
			return null;
		}
		String parentSpanId = normalize(context.parentId());
		return new MicrometerTraceIds(traceId, spanId,
				(parentSpanId != null && parentSpanId.length() == 16) ? parentSpanId : null);
	}

	/** Lower-case hex, not all zeros (the invalid id of W3C and of Micrometer's no-op context). */
	private static @Nullable String normalize(@Nullable String id) {
		if (id == null || id.isEmpty()) {
			return null;
		}
		boolean zero = true;
		for (int i = 0; i < id.length(); i++) {
			char c = id.charAt(i);
			if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
				return (c >= 'A' && c <= 'F') ? normalize(id.toLowerCase(java.util.Locale.ROOT)) : null;
			}
			zero &= (c == '0');
		}
		return zero ? null : id;
	}

}
