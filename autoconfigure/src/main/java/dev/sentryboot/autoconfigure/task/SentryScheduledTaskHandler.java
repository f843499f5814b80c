package dev.sentryboot.autoconfigure.task;

import java.lang.reflect.UndeclaredThrowableException;

import dev.sentryboot.autoconfigure.SentrySdk;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.support.ScheduledTaskObservationContext;

/**
 * Each run of a {@code @Scheduled} method, seen through the observation Spring makes of it:
 * scopes of its own forked from the context's root scopes (nothing of one run reaches the
 * next), a {@code task.scheduled} transaction starting a trace of its own (or, when another
 * tracer traces the run, continuing its trace: see {@link TaskTraceParent}), and the exception
 * the run throws. Spring's error handler still gets the exception afterwards and logs it.
 */
final class SentryScheduledTaskHandler implements ObservationHandler<ScheduledTaskObservationContext> {

	private static final Log logger = LogFactory.getLog(SentryScheduledTaskHandler.class);

	static final String OPERATION = "task.scheduled";

	static final String MECHANISM_TYPE = "spring.scheduled";

	private final SentrySdk sdk;

	private final boolean trace;

	private final boolean captureErrors;

	private final TaskTraceParent traceParent;

	SentryScheduledTaskHandler(SentrySdk sdk, boolean trace, boolean captureErrors, TaskTraceParent traceParent) {
		this.sdk = sdk;
		this.trace = trace;
		this.captureErrors = captureErrors;
		this.traceParent = traceParent;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof ScheduledTaskObservationContext;
	}

	@Override
	public void onStart(ScheduledTaskObservationContext context) {
		if (!this.sdk.isActive()) {
			return;
		}
		String name = context.getTargetClass().getSimpleName() + "." + context.getMethod().getName();
		TaskRun run = TaskRun.begin(this.sdk.getScopes(), name, OPERATION, false, traceParent(context, name),
				this.trace);
		if (run != null) {
			context.put(TaskRun.class, run);
		}
	}

	@Override
	public void onError(ScheduledTaskObservationContext context) {
		TaskRun run = context.get(TaskRun.class);
		Throwable error = context.getError();
		if (run != null && error != null) {
			run.failed(unwrap(error), this.captureErrors ? MECHANISM_TYPE : null);
		}
	}

	@Override
	public void onStop(ScheduledTaskObservationContext context) {
		if (context.remove(TaskRun.class) instanceof TaskRun run) {
			run.end();
		}
	}

	/**
	 * Read at the start of the observation: the tracer's handler has opened its span by then (it
	 * joined the registry before this handler, which the scheduling configurer adds last), but
	 * made it current only when the observation's scope opens, so it is found in the context.
	 */
	private @Nullable String traceParent(ScheduledTaskObservationContext context, String name) {
		try {
			return this.traceParent.sentryTrace(context);
		}
		catch (RuntimeException | LinkageError ex) {
			logger.debug("Sentry could not read the trace of task " + name + "; it starts a trace of its own", ex);
			return null;
		}
	}

	private static Throwable unwrap(Throwable error) {
		// Spring wraps a checked exception of the method this way; the method's own exception is
		// what the user looks for (and the logged wrapper still counts as its duplicate).
		return (error instanceof UndeclaredThrowableException && error.getCause() != null) ? error.getCause()
				: error;
	}

}
