package dev.sentryboot.autoconfigure.logging;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import dev.sentryboot.autoconfigure.SentrySdk;
import io.sentry.Hint;
import io.sentry.IScopes;
import io.sentry.SentryOptions;
import io.sentry.TypeCheckHint;
import io.sentry.logback.SentryAppender;
import org.jspecify.annotations.Nullable;

/**
 * Sentry's Logback appender as sentry-boot attaches it: it never starts the SDK itself, keeps
 * the events logged before the application context's SDK runs, and leaves request failures
 * that the servlet container logs again to the web layer.
 * <p>
 * Early events are kept rather than the SDK started earlier: the SDK is configured by beans
 * (callbacks, event processors, the scrubber, customizers), and an SDK started before them
 * would send startup events past the scrubber. So the appender keeps a bounded number of
 * events (the oldest go first, errors and breadcrumbs counted apart so that a chatty startup
 * cannot push an error out) until the context is refreshed, then replays them into that
 * context's SDK, whether or not it owns the static {@code Sentry} API. If the context fails to
 * start instead, the line that reports the failure triggers a short-lived SDK configured from
 * the properties alone ({@link SentrySdk#standalone}) that sends what was kept and closes.
 */
final class SentryBootLogbackAppender extends SentryAppender {

	static final String NAME = "SENTRY_BOOT";

	/**
	 * {@link SentryAppender#start()} calls {@code Sentry.init} unless the DSN is an undefined
	 * Logback variable (a value ending in "_IS_UNDEFINED"); {@link SentrySdk} alone starts the
	 * SDK, so the appender gets such a value.
	 */
	static final String NO_INIT_DSN = "SENTRY_BOOT_OWNS_THE_SDK_IS_UNDEFINED";

	static final int MAX_KEPT_EVENTS = 100;

	static final int MAX_KEPT_BREADCRUMBS = 100;

	private static final String FAILURE_ANALYSIS_LOGGER = "org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter";

	/**
	 * Loggers of servlet containers that log a request's exception again after it left the
	 * filter chain, where the web layer has already decided about it (5xx reported, 4xx not).
	 * Tomcat logs it at ERROR through the logger of the servlet (a wrapper: four bracketed
	 * names, "[Tomcat].[localhost].[/].[dispatcherServlet]"); Jetty at WARN.
	 */
	private static final String TOMCAT_CONTAINER_LOGGER = "org.apache.catalina.core.ContainerBase.[";

	private static final List<String> JETTY_REQUEST_LOGGERS = List.of("org.eclipse.jetty.ee10.servlet.ServletChannel",
			"org.eclipse.jetty.ee11.servlet.ServletChannel");

	private final Object lock = new Object();

	private final ArrayDeque<ILoggingEvent> kept = new ArrayDeque<>();

	private int keptEvents;

	private int keptBreadcrumbs;

	private State state = State.KEEPING;

	private @Nullable Throwable failure;

	private @Nullable Supplier<@Nullable SentrySdk> failureSdk;

	SentryBootLogbackAppender(Level minimumEventLevel, Level minimumBreadcrumbLevel) {
		setName(NAME);
		SentryOptions options = new SentryOptions();
		options.setDsn(NO_INIT_DSN);
		setOptions(options);
		setMinimumEventLevel(minimumEventLevel);
		setMinimumBreadcrumbLevel(minimumBreadcrumbLevel);
	}

	@Override
	protected void append(ILoggingEvent event) {
		if (isIgnored(event)) {
			return;
		}
		List<ILoggingEvent> failedStartup;
		synchronized (this.lock) {
			if (this.state == State.CLOSED) {
				return;
			}
			if (this.state == State.KEEPING) {
				keep(event);
				if (this.failure == null || !reportsFailure(event, this.failure)) {
					return;
				}
				failedStartup = drain();
				this.state = State.CLOSED;
			}
			else {
				failedStartup = null;
			}
		}
		try {
			if (failedStartup != null) {
				reportFailedStartup(failedStartup);
			}
			else {
				super.append(event);
			}
		}
		catch (RuntimeException ex) {
			// Reporting must never break logging, let alone the application.
			addWarn("Sentry could not report a log event", ex);
		}
	}

	/**
	 * From now on events go straight to the static {@code Sentry} API; those kept so far are
	 * replayed into the given scopes (the context's SDK), or dropped when there are none.
	 */
	void live(@Nullable IScopes scopes) {
		List<ILoggingEvent> replay;
		synchronized (this.lock) {
			if (this.state != State.KEEPING) {
				return;
			}
			replay = drain();
			this.state = State.LIVE;
		}
		if (scopes != null && !replay.isEmpty()) {
			try {
				replay(scopes, replay);
			}
			catch (RuntimeException ex) {
				addWarn("Sentry could not report the log events of the startup", ex);
			}
		}
	}

	/**
	 * The application failed to start: when Spring Boot logs the failure (the exception, or
	 * the failure analysis), what was kept is sent through the SDK the supplier starts.
	 */
	void failed(Throwable failure, Supplier<@Nullable SentrySdk> sdk) {
		synchronized (this.lock) {
			if (this.state == State.KEEPING) {
				this.failure = failure;
				this.failureSdk = sdk;
			}
		}
	}

	/**
	 * Drops what is kept; nothing is reported any more.
	 */
	void close() {
		synchronized (this.lock) {
			this.state = State.CLOSED;
			drain();
		}
	}

	boolean isKeeping() {
		synchronized (this.lock) {
			return this.state == State.KEEPING;
		}
	}

	private void keep(ILoggingEvent event) {
		boolean isEvent = event.getLevel().isGreaterOrEqual(getMinimumEventLevel());
		if (!isEvent && !event.getLevel().isGreaterOrEqual(getMinimumBreadcrumbLevel())) {
			return;
		}
		// Taken from the logging thread now: MDC, thread name, formatted message.
		event.prepareForDeferredProcessing();
		this.kept.addLast(event);
		if (isEvent) {
			this.keptEvents++;
			if (this.keptEvents > MAX_KEPT_EVENTS) {
				removeOldest(true);
			}
		}
		else {
			this.keptBreadcrumbs++;
			if (this.keptBreadcrumbs > MAX_KEPT_BREADCRUMBS) {
				removeOldest(false);
			}
		}
	}

	private void removeOldest(boolean events) {
		for (Iterator<ILoggingEvent> it = this.kept.iterator(); it.hasNext();) {
			if (it.next().getLevel().isGreaterOrEqual(getMinimumEventLevel()) == events) {
				it.remove();
				if (events) {
					this.keptEvents--;
				}
				else {
					this.keptBreadcrumbs--;
				}
				return;
			}
		}
	}

	private List<ILoggingEvent> drain() {
		List<ILoggingEvent> drained = new ArrayList<>(this.kept);
		this.kept.clear();
		this.keptEvents = 0;
		this.keptBreadcrumbs = 0;
		this.failure = null;
		return drained;
	}

	private void replay(IScopes scopes, List<ILoggingEvent> events) {
		// A scope of their own: the startup's breadcrumbs belong to the startup's events, not
		// to every later request forked from the context's scopes.
		IScopes startup = scopes.forkedScopes("sentry-boot.logging.startup");
		for (ILoggingEvent event : events) {
			if (event.getLevel().isGreaterOrEqual(getMinimumEventLevel())) {
				Hint hint = new Hint();
				hint.set(TypeCheckHint.SENTRY_SYNTHETIC_EXCEPTION, event);
				startup.captureEvent(createEvent(event), hint);
			}
			if (event.getLevel().isGreaterOrEqual(getMinimumBreadcrumbLevel())) {
				Hint hint = new Hint();
				hint.set(TypeCheckHint.LOGBACK_LOGGING_EVENT, event);
				startup.addBreadcrumb(createBreadcrumb(event), hint);
			}
		}
	}

	private void reportFailedStartup(List<ILoggingEvent> events) {
		Supplier<@Nullable SentrySdk> supplier = this.failureSdk;
		SentrySdk sdk = (supplier != null) ? supplier.get() : null;
		if (sdk == null) {
			return;
		}
		try {
			if (sdk.isActive()) {
				replay(sdk.getScopes(), events);
			}
		}
		finally {
			// Flushes within sentry.shutdown-timeout: the application is about to end.
			sdk.destroy();
		}
	}

	private static boolean reportsFailure(ILoggingEvent event, Throwable failure) {
		if (FAILURE_ANALYSIS_LOGGER.equals(event.getLoggerName())) {
			return true;
		}
		IThrowableProxy proxy = event.getThrowableProxy();
		return proxy instanceof ThrowableProxy throwable && throwable.getThrowable() == failure;
	}

	static boolean isIgnored(ILoggingEvent event) {
		String logger = event.getLoggerName();
		if (logger == null) {
			return false;
		}
		// The SDK's own diagnostics: reporting them could loop.
		if (logger.startsWith("io.sentry")) {
			return true;
		}
		if (logger.startsWith(TOMCAT_CONTAINER_LOGGER)) {
			return logger.split("\\]\\.\\[", -1).length >= 4;
		}
		return JETTY_REQUEST_LOGGERS.contains(logger);
	}

	private enum State {

		KEEPING, LIVE, CLOSED

	}

}
