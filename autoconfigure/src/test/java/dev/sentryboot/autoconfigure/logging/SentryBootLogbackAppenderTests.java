package dev.sentryboot.autoconfigure.logging;

import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.sentryboot.autoconfigure.SentryProperties;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import io.sentry.Sentry;
import io.sentry.logback.SentryAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The appender alone, against a real SDK and the in-test Sentry endpoint.
 */
class SentryBootLogbackAppenderTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final SentryTestServer sentry = new SentryTestServer();

	private final LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();

	@AfterEach
	void stop() {
		System.clearProperty("sentry.dsn");
		Sentry.close();
		this.sentry.close();
	}

	@Test
	void neverStartsTheSdkItselfUnlikeSentrysOwnAppender() {
		// Sentry's appender reads the DSN from system properties and the environment too.
		System.setProperty("sentry.dsn", this.sentry.dsn());
		SentryBootLogbackAppender ours = new SentryBootLogbackAppender(Level.ERROR, Level.INFO);
		ours.setContext(this.logback);
		ours.start();
		assertThat(ours.isStarted()).isTrue();
		assertThat(Sentry.isEnabled()).isFalse();

		SentryAppender theirs = new SentryAppender();
		theirs.setContext(this.logback);
		theirs.start();
		assertThat(Sentry.isEnabled()).as("the check above can fail").isTrue();
		theirs.stop();
	}

	@Test
	void keepsTheNewestEventsAndBreadcrumbsApartUntilTheSdkRuns() {
		SentryBootLogbackAppender appender = new SentryBootLogbackAppender(Level.ERROR, Level.INFO);
		appender.setContext(this.logback);
		appender.start();
		for (int i = 0; i < 150; i++) {
			appender.doAppend(event(Level.ERROR, "error " + i));
		}
		// A chatty startup pushes out older breadcrumbs, never errors.
		for (int i = 0; i < 300; i++) {
			appender.doAppend(event(Level.INFO, "info " + i));
		}
		appender.doAppend(event(Level.DEBUG, "debug"));
		SentrySdk sdk = sdk();
		appender.live(sdk.getScopes());
		sdk.flush();
		List<JsonNode> events = this.sentry.awaitEvents(SentryBootLogbackAppender.MAX_KEPT_EVENTS, WAIT);
		sdk.flush();
		assertThat(this.sentry.events()).hasSize(SentryBootLogbackAppender.MAX_KEPT_EVENTS);
		assertThat(events.get(0).path("message").path("formatted").asString()).isEqualTo("error 50");
		assertThat(events.get(events.size() - 1).path("message").path("formatted").asString()).isEqualTo("error 149");
		sdk.destroy();
	}

	@Test
	void doesNotReportTheSdksOwnLinesNorTheContainersRequestFailures() {
		assertThat(SentryBootLogbackAppender.isIgnored(event("io.sentry.transport", Level.ERROR))).isTrue();
		assertThat(SentryBootLogbackAppender.isIgnored(
				event("org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[/].[dispatcherServlet]", Level.ERROR)))
			.isTrue();
		assertThat(SentryBootLogbackAppender.isIgnored(
				event("org.eclipse.jetty.ee11.servlet.ServletChannel", Level.WARN)))
			.isTrue();
		// The context's own lines (a filter that fails to start) are reported.
		assertThat(SentryBootLogbackAppender.isIgnored(
				event("org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[/]", Level.ERROR)))
			.isFalse();
		assertThat(SentryBootLogbackAppender.isIgnored(event("dev.example.orders", Level.ERROR))).isFalse();
	}

	private SentrySdk sdk() {
		SentryProperties properties = new SentryProperties();
		properties.setDsn(this.sentry.dsn());
		SentrySdk sdk = SentrySdk.standalone(properties, new MockEnvironment(), null, null, null);
		sdk.afterPropertiesSet();
		return sdk;
	}

	private LoggingEvent event(Level level, String message) {
		return event("dev.example.startup", level, message);
	}

	private LoggingEvent event(String logger, Level level) {
		return event(logger, level, "line");
	}

	private LoggingEvent event(String logger, Level level, String message) {
		LoggingEvent event = new LoggingEvent();
		event.setLoggerContext(this.logback);
		event.setLoggerName(logger);
		event.setLevel(level);
		event.setMessage(message);
		event.setTimeStamp(System.currentTimeMillis());
		event.setThreadName("main");
		return event;
	}

}
