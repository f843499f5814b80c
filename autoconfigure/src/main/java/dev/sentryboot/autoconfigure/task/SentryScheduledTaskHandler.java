package dev.sentryboot.autoconfigure.task;

import java.lang.reflect.UndeclaredThrowableException;

import dev.sentryboot.autoconfigure.SentrySdk;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

import org.springframework.scheduling.support.ScheduledTaskObservationContext;

/**
 * Each run of a {@code @Scheduled} method, seen through the observation Spring makes of it:
 * scopes of its own forked from the context's root scopes (nothing of one run reaches the
 * next), a {@code task.scheduled} transaction starting a trace of its own, and the exception
 * the run throws. Spring's error handler still gets the exception afterwards and logs it.
 */
final class SentryScheduledTaskHandler implements ObservationHandler<ScheduledTaskObservationContext> {

	static final String OPERATION = "task.scheduled";

	static final String MECHANISM_TYPE = "spring.scheduled";

	private final SentrySdk sdk;

	private final boolean trace;

	private final boolean captureErrors;

	SentryScheduledTaskHandler(SentrySdk sdk, boolean trace, boolean captureErrors) {
		this.sdk = sdk;
		this.trace = trace;
		this.captureErrors = captureErrors;
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
		TaskRun run = TaskRun.begin(this.sdk.getScopes(), name, OPERATION, false, this.trace);
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

	private static Throwable unwrap(Throwable error) {
		// Spring wraps a checked exception of the method this way; the method's own exception is
		// what the user looks for (and the logged wrapper still counts as its duplicate).
		return (error instanceof UndeclaredThrowableException && error.getCause() != null) ? error.getCause()
				: error;
	}

}
