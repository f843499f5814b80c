package dev.sentryboot.autoconfigure;

import io.sentry.ILogger;
import io.sentry.SentryLevel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Sends the SDK's own diagnostics (shown when {@code sentry.debug} is true) through the
 * application's logging instead of standard out. A user who sets {@code sentry.debug} wants to
 * see them without also lowering the log level, so debug messages are then written at INFO.
 */
final class CommonsLoggingSentryLogger implements ILogger {

	private static final Log log = LogFactory.getLog("io.sentry");

	private final boolean promoteDebug;

	CommonsLoggingSentryLogger(boolean promoteDebug) {
		this.promoteDebug = promoteDebug;
	}

	@Override
	public void log(SentryLevel level, String message, @Nullable Object... args) {
		if (isEnabled(level)) {
			write(level, format(message, args), null);
		}
	}

	@Override
	public void log(SentryLevel level, String message, @Nullable Throwable throwable) {
		if (isEnabled(level)) {
			write(level, message, throwable);
		}
	}

	@Override
	public void log(SentryLevel level, @Nullable Throwable throwable, String message, @Nullable Object... args) {
		if (isEnabled(level)) {
			write(level, format(message, args), throwable);
		}
	}

	@Override
	public boolean isEnabled(@Nullable SentryLevel level) {
		if (level == null) {
			return false;
		}
		return switch (level) {
			case DEBUG -> this.promoteDebug ? log.isInfoEnabled() : log.isDebugEnabled();
			case INFO -> log.isInfoEnabled();
			case WARNING -> log.isWarnEnabled();
			case ERROR, FATAL -> log.isErrorEnabled();
		};
	}

	private static String format(String message, @Nullable Object... args) {
		try {
			return (args == null || args.length == 0) ? message : String.format(message, args);
		}
		catch (RuntimeException ex) {
			return message;
		}
	}

	private void write(SentryLevel level, String message, @Nullable Throwable throwable) {
		switch (level) {
			case DEBUG -> {
				if (this.promoteDebug) {
					log.info(message, throwable);
				}
				else {
					log.debug(message, throwable);
				}
			}
			case INFO -> log.info(message, throwable);
			case WARNING -> log.warn(message, throwable);
			case ERROR, FATAL -> log.error(message, throwable);
		}
	}

}
