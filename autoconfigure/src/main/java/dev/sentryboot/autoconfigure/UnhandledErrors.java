package dev.sentryboot.autoconfigure;

import io.sentry.Hint;
import io.sentry.IScopes;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.exception.ExceptionMechanismException;
import io.sentry.protocol.Mechanism;
import io.sentry.protocol.SentryId;
import org.jspecify.annotations.Nullable;

/**
 * Reports an exception that escaped the application's code (a request, a scheduled or async
 * task) the way Sentry shows unhandled errors: level error, a mechanism naming the integration
 * that caught it, handled false. The exception itself is captured, so the SDK's duplicate
 * detection drops any later capture of the same instance (a log line, say).
 */
public final class UnhandledErrors {

	private UnhandledErrors() {
	}

	public static SentryId capture(IScopes scopes, Throwable error, String mechanismType,
			@Nullable String transaction) {
		Mechanism mechanism = new Mechanism();
		mechanism.setType(mechanismType);
		mechanism.setHandled(false);
		SentryEvent event = new SentryEvent(new ExceptionMechanismException(mechanism, error, Thread.currentThread()));
		event.setLevel(SentryLevel.ERROR);
		event.setTransaction(transaction);
		return scopes.captureEvent(event, new Hint());
	}

}
