package dev.sentryboot.autoconfigure.tracing.micrometer;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.sentry.EventProcessor;
import io.sentry.Hint;
import io.sentry.SentryEvent;
import io.sentry.SpanContext;
import io.sentry.SpanId;
import io.sentry.protocol.SentryId;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Puts events into Micrometer's current trace, so that an error found in Sentry leads to the
 * same trace in Tempo or Zipkin and to the log lines of the same {@code traceId}:
 * <ul>
 * <li>an event captured outside a sampled Sentry transaction (a background thread, a log line,
 * an unsampled request) gets the trace and span ids of Micrometer's current span;</li>
 * <li>inside a sampled Sentry transaction the event keeps its Sentry span, so Sentry shows it in
 * its place in the transaction (a request's transaction is in Micrometer's trace already);</li>
 * <li>Micrometer's current span gets a {@code sentry.event_id} tag, the way back from the trace
 * to the event.</li>
 * </ul>
 * Without a current Micrometer span (no bridge, no observation around the code) the event is
 * left as it is. Never fails an event.
 */
public final class MicrometerTraceEventProcessor implements EventProcessor {

	/** Tag of the Micrometer span an event was captured in. */
	public static final String EVENT_ID_TAG = "sentry.event_id";

	static final String ORIGIN = "auto.tracing.micrometer";

	private static final Log logger = LogFactory.getLog(MicrometerTraceEventProcessor.class);

	private final Tracer tracer;

	public MicrometerTraceEventProcessor(Tracer tracer) {
		this.tracer = tracer;
	}

	@Override
	public @Nullable SentryEvent process(SentryEvent event, Hint hint) {
		try {
			Span span = this.tracer.currentSpan();
			MicrometerTraceIds ids = (span != null && !span.isNoop()) ? MicrometerTraceIds.of(span.context()) : null;
			if (span == null || ids == null) {
				return event;
			}
			SpanContext trace = event.getContexts().getTrace();
			if (!isSampledSentrySpan(trace)) {
				event.getContexts().setTrace(traceContext(ids, trace));
			}
			SentryId eventId = event.getEventId();
			if (eventId != null) {
				span.tag(EVENT_ID_TAG, eventId.toString());
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Sentry could not add Micrometer's trace to an event", ex);
		}
		return event;
	}

	/**
	 * A span of a sampled transaction has a sampling decision of its own; the trace of scopes
	 * without a transaction (their propagation context) has none, or an unsampled one. An event
	 * on a transaction's span stays there even when Micrometer's current span is of another
	 * trace: in Sentry it belongs to that transaction.
	 */
	private static boolean isSampledSentrySpan(@Nullable SpanContext trace) {
		return trace != null && Boolean.TRUE.equals(trace.getSampled());
	}

	private static SpanContext traceContext(MicrometerTraceIds ids, @Nullable SpanContext previous) {
		String parent = ids.parentSpanId();
		String operation = (previous != null) ? previous.getOperation() : "default";
		SpanContext context = new SpanContext(new SentryId(ids.traceId()), new SpanId(ids.spanId()), operation,
				(parent != null) ? new SpanId(parent) : null, null);
		context.setOrigin(ORIGIN);
		return context;
	}

}
