package dev.sentryboot.autoconfigure.task;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * The trace a {@code @Scheduled} run belongs to when another tracer already traces it (with
 * Micrometer Tracing, the span its handler opened for the run's observation): a
 * {@code sentry-trace} header value naming that trace and span, without a sampling decision so
 * that Sentry's sampler decides. Without one (the default) a run starts a trace of its own.
 */
@FunctionalInterface
public interface TaskTraceParent {

	/** No other tracer: every run starts a trace of its own. */
	TaskTraceParent NONE = (context) -> null;

	/**
	 * The {@code sentry-trace} value ({@code traceId-spanId}) of the trace the run observed by
	 * {@code context} belongs to, or {@code null} for a trace of its own.
	 */
	@Nullable String sentryTrace(Observation.Context context);

}
