package dev.sentryboot.autoconfigure.tracing.micrometer;

import dev.sentryboot.autoconfigure.task.TaskTraceParent;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.jspecify.annotations.Nullable;

/**
 * Puts each {@code @Scheduled} run into the trace Micrometer Tracing opened for it, the one
 * whose {@code traceId} Spring Boot writes into the run's log lines: the span the tracing
 * handler keeps in the run's observation context is the parent of the run's Sentry
 * transaction. Only ids: Sentry's sampler decides whether the run is traced. Without such a span
 * (no bridge, the no-op tracer, observation off) the run starts a trace of its own.
 */
public final class MicrometerTaskTraceParent implements TaskTraceParent {

	@Override
	public @Nullable String sentryTrace(Observation.Context context) {
		// The context, not the tracer: the span becomes the tracer's current one only when the
		// observation's scope opens, after every handler has seen the observation start.
		TracingObservationHandler.TracingContext tracing = context.get(TracingObservationHandler.TracingContext.class);
		Span span = (tracing != null) ? tracing.getSpan() : null;
		if (span == null || span.isNoop()) {
			return null;
		}
		MicrometerTraceIds ids = MicrometerTraceIds.of(span.context());
		return (ids != null) ? ids.traceId() + "-" + ids.spanId() : null;
	}

}
