package dev.sentryboot.autoconfigure.logging;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import dev.sentryboot.autoconfigure.InvalidSentryPropertyException;
import dev.sentryboot.autoconfigure.SentryProperties;
import dev.sentryboot.autoconfigure.SentrySdk;
import io.sentry.IScopes;
import io.sentry.InitPriority;
import io.sentry.Sentry;
import io.sentry.logback.SentryAppender;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The appender of one application, attached to its loggers in Logback; all Logback types live
 * here so that the listener loads without Logback.
 */
final class LogbackAttachment {

	private static final Log logger = LogFactory.getLog(LogbackAttachment.class);

	private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

	private final SentryBootLogbackAppender appender;

	private final List<Logger> loggers;

	private LogbackAttachment(SentryBootLogbackAppender appender, List<Logger> loggers) {
		this.appender = appender;
		this.loggers = loggers;
	}

	/**
	 * Attaches an appender to the configured loggers, or returns {@code null} when Logback is
	 * not the logging system, logging (or Sentry) is disabled, or every logger already reaches
	 * a {@link SentryAppender} of the application's own configuration.
	 */
	static @Nullable LogbackAttachment attach(SentryProperties properties) {
		if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
			return null;
		}
		if (!properties.isEnabled()) {
			return null;
		}
		stopSdkStartedByAnAppender();
		SentryProperties.Logging logging = properties.getLogging();
		if (!logging.isEnabled()) {
			return null;
		}
		Level eventLevel = level("sentry.logging.minimum-event-level", logging.getMinimumEventLevel());
		Level breadcrumbLevel = level("sentry.logging.minimum-breadcrumb-level", logging.getMinimumBreadcrumbLevel());
		SentryBootLogbackAppender appender = new SentryBootLogbackAppender(eventLevel, breadcrumbLevel);
		appender.setContext(context);
		appender.start();
		List<Logger> targets = new ArrayList<>();
		// Ancestors first: a logger that already reaches the appender through an ancestor (or
		// reaches one of the application's own) gets none, so no event is appended twice.
		List<Logger> candidates = logging.getLoggers().stream().map((name) -> context.getLogger(name.trim())).toList();
		for (Logger target : candidates.stream().sorted(Comparator.comparingInt(LogbackAttachment::depth)).toList()) {
			if (reachesSentryAppender(context, target)) {
				logger.debug("Logger '" + target.getName() + "' already reaches a Sentry appender: none is added");
			}
			else {
				target.addAppender(appender);
				targets.add(target);
			}
		}
		if (targets.isEmpty()) {
			appender.stop();
			return null;
		}
		return new LogbackAttachment(appender, targets);
	}

	/**
	 * A {@link SentryAppender} declared in the application's Logback configuration starts the
	 * SDK itself, with the lowest init priority, before any bean exists: its events would
	 * leave unscrubbed and {@link SentrySdk} would find the static API taken. That SDK is
	 * closed; the appender keeps working through the SDK that {@link SentrySdk} starts.
	 */
	private static void stopSdkStartedByAnAppender() {
		if (Sentry.isEnabled() && Sentry.getGlobalScope().getOptions().getInitPriority() == InitPriority.LOWEST) {
			logger.info("Closing the Sentry SDK started by a SentryAppender of the Logback configuration: "
					+ "sentry-boot starts it with the application's sentry.* settings and scrubbing");
			Sentry.close();
		}
	}

	private static boolean reachesSentryAppender(LoggerContext context, Logger target) {
		Logger current = target;
		while (current != null) {
			for (Iterator<Appender<ILoggingEvent>> it = current.iteratorForAppenders(); it.hasNext();) {
				if (it.next() instanceof SentryAppender) {
					return true;
				}
			}
			if (!current.isAdditive() || Logger.ROOT_LOGGER_NAME.equals(current.getName())) {
				return false;
			}
			current = parentOf(context, current.getName());
		}
		return false;
	}

	private static int depth(Logger logger) {
		String name = logger.getName();
		return Logger.ROOT_LOGGER_NAME.equals(name) ? 0 : 1 + name.split("[.$]").length;
	}

	private static Logger parentOf(LoggerContext context, String name) {
		int dot = Math.max(name.lastIndexOf('.'), name.lastIndexOf('$'));
		while (dot > 0) {
			Logger parent = context.exists(name.substring(0, dot));
			if (parent != null) {
				return parent;
			}
			String shorter = name.substring(0, dot);
			dot = Math.max(shorter.lastIndexOf('.'), shorter.lastIndexOf('$'));
		}
		return context.getLogger(Logger.ROOT_LOGGER_NAME);
	}

	static Level level(String property, @Nullable String value) {
		String name = (value != null) ? value.trim().toUpperCase(Locale.ROOT) : "";
		if (!LEVELS.contains(name)) {
			throw new InvalidSentryPropertyException(property, value, "not a log level",
					"use one of " + String.join(", ", LEVELS) + " (OFF: never)");
		}
		return Level.toLevel(name);
	}

	void live(@Nullable IScopes scopes) {
		this.appender.live(scopes);
	}

	boolean isKeeping() {
		return this.appender.isKeeping();
	}

	void failed(Throwable failure, Supplier<@Nullable SentrySdk> sdk) {
		this.appender.failed(failure, () -> {
			// The application is gone: once its failure is reported, nothing more is.
			detach();
			return sdk.get();
		});
	}

	void detach() {
		for (Logger target : this.loggers) {
			target.detachAppender(this.appender);
		}
		this.appender.close();
		this.appender.stop();
	}

}
