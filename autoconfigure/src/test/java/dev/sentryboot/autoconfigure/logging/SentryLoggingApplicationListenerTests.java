package dev.sentryboot.autoconfigure.logging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import dev.sentryboot.autoconfigure.InvalidSentryPropertyException;
import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.scrub.SentryScrubAutoConfiguration;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import io.sentry.Sentry;
import io.sentry.logback.SentryAppender;
import jakarta.annotation.PostConstruct;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Log events of real applications (started by {@code SpringApplication}, so that Spring Boot
 * initialises Logback and the listener runs) as they arrive at the Sentry endpoint.
 * <p>
 * Logback and the static Sentry API are JVM-wide: these tests run in a JVM of their own (see
 * the surefire executions of this module) and each checks that closing its application leaves
 * no appender behind.
 */
class SentryLoggingApplicationListenerTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final SentryTestServer sentry = new SentryTestServer();

	private static final org.slf4j.Logger log = LoggerFactory.getLogger("dev.example.orders");

	@BeforeEach
	void reset() {
		sentry.reset();
		sentry.respondWith(200);
		MDC.clear();
	}

	@AfterEach
	void leavesNoAppenderBehind() {
		MDC.clear();
		// An appender of the application's own configuration stays until Logback is configured
		// again; ours goes with the application.
		assertThat(sentryAppenders(root())).noneMatch(SentryBootLogbackAppender.class::isInstance);
		assertThat(Sentry.isEnabled()).isFalse();
	}

	@AfterAll
	static void stopSentry() {
		sentry.close();
	}

	@Test
	void reportsAnErrorLoggedDuringStartupBeforeTheSdkRuns() {
		try (ConfigurableApplicationContext context = start(LogsWhileStarting.class)) {
			assertThat(context.getBean(LogsWhileStarting.class).sdkWasRunning).isFalse();
			List<JsonNode> events = sentry.awaitEvents(1, WAIT);
			context.getBean(SentrySdk.class).flush();
			assertThat(sentry.events()).hasSize(1);
			JsonNode event = events.get(0);
			assertThat(event.path("message").path("formatted").asString()).isEqualTo("cache warm-up failed for eu-1");
			assertThat(event.path("logger").asString()).isEqualTo("dev.example.startup");
			assertThat(event.path("level").asString()).isEqualTo("error");
			assertThat(mainException(event).path("value").asString()).isEqualTo("cache unreachable");
			assertThat(mainException(event).path("mechanism").path("type").asString())
				.isEqualTo(SentryAppender.MECHANISM_TYPE);
			assertThat(breadcrumbMessages(event, "dev.example.startup")).containsExactly("warming caches");
		}
	}

	@Test
	void infoIsABreadcrumbErrorAnEventAndWarnNoEvent() {
		try (ConfigurableApplicationContext context = start(Plain.class)) {
			log.debug("not recorded");
			log.info("order 7 received");
			log.warn("order 7 is slow");
			log.error("order 7 failed");
			context.getBean(SentrySdk.class).flush();
			JsonNode event = sentry.awaitEvents(1, WAIT).get(0);
			assertThat(sentry.events()).hasSize(1);
			assertThat(event.path("message").path("formatted").asString()).isEqualTo("order 7 failed");
			assertThat(breadcrumbMessages(event, "dev.example.orders")).containsExactly("order 7 received",
					"order 7 is slow");
			List<String> levels = new ArrayList<>();
			SentryTestServer.breadcrumbs(event, "dev.example.orders")
				.forEach((crumb) -> levels.add(crumb.path("level").asString()));
			assertThat(levels).containsExactly("info", "warning");
		}
	}

	@Test
	void levelsComeFromTheProperties() {
		try (ConfigurableApplicationContext context = start(Plain.class, "sentry.logging.minimum-event-level=warn",
				"sentry.logging.minimum-breadcrumb-level=ERROR")) {
			log.info("order 8 received");
			log.warn("order 8 is slow");
			context.getBean(SentrySdk.class).flush();
			JsonNode event = sentry.awaitEvents(1, WAIT).get(0);
			assertThat(sentry.events()).hasSize(1);
			assertThat(event.path("message").path("formatted").asString()).isEqualTo("order 8 is slow");
			assertThat(event.path("level").asString()).isEqualTo("warning");
			assertThat(breadcrumbMessages(event, "dev.example.orders")).isEmpty();
		}
	}

	@Test
	void mdcKeysListedAsContextTagsBecomeTagsAndEveryMdcValueIsScrubbed() {
		try (ConfigurableApplicationContext context = start(Plain.class,
				"sentry.logging.context-tags=tenant,traceId")) {
			MDC.put("tenant", "acme");
			MDC.put("traceId", "4bf92f3577b34da6");
			MDC.put("note", "retry with password=hunter2");
			MDC.put("password", "hunter2");
			log.error("payment declined");
			context.getBean(SentrySdk.class).flush();
			JsonNode event = sentry.awaitEvents(1, WAIT).get(0);
			assertThat(event.path("tags").path("tenant").asString()).isEqualTo("acme");
			assertThat(event.path("tags").path("traceId").asString()).isEqualTo("4bf92f3577b34da6");
			JsonNode mdc = event.path("contexts").path("MDC");
			assertThat(mdc.path("note").asString()).startsWith("retry with password=").doesNotContain("hunter2");
			assertThat(mdc.has("tenant")).isFalse();
			assertThat(event.toString()).doesNotContain("hunter2");
		}
	}

	@Test
	void attachesNothingWhenDisabled() {
		try (ConfigurableApplicationContext context = start(Plain.class, "sentry.logging.enabled=false")) {
			assertThat(sentryAppenders(root())).isEmpty();
			log.error("not reported");
			context.getBean(SentrySdk.class).getScopes().captureMessage("marker");
			context.getBean(SentrySdk.class).flush();
			assertThat(sentry.awaitEvents(1, WAIT)).hasSize(1);
			assertThat(sentry.events()).singleElement()
				.satisfies((event) -> assertThat(event.toString()).contains("marker").doesNotContain("not reported"));
		}
	}

	@Test
	void attachesToTheConfiguredLoggersOnly() {
		try (ConfigurableApplicationContext context = start(Plain.class, "sentry.logging.loggers=dev.example")) {
			assertThat(sentryAppenders(root())).isEmpty();
			assertThat(sentryAppenders(logger("dev.example"))).hasSize(1);
			LoggerFactory.getLogger("other.library").error("not reported");
			log.error("reported");
			context.getBean(SentrySdk.class).flush();
			assertThat(sentry.awaitEvents(1, WAIT)).hasSize(1);
			assertThat(sentry.events()).singleElement()
				.satisfies((event) -> assertThat(event.path("message").path("formatted").asString())
					.isEqualTo("reported"));
		}
		assertThat(sentryAppenders(logger("dev.example"))).isEmpty();
	}

	@Test
	void aLoggerListedWithItsAncestorGetsNoSecondAppender() {
		try (ConfigurableApplicationContext context = start(Plain.class,
				"sentry.logging.loggers=dev.example.orders,ROOT,dev.example")) {
			assertThat(sentryAppenders(root())).hasSize(1);
			assertThat(sentryAppenders(logger("dev.example"))).isEmpty();
			assertThat(sentryAppenders(logger("dev.example.orders"))).isEmpty();
			log.error("reported once");
			context.getBean(SentrySdk.class).getScopes().captureMessage("marker");
			context.getBean(SentrySdk.class).flush();
			assertThat(sentry.awaitEvents(2, WAIT)).hasSize(2);
			assertThat(sentry.events()).filteredOn((event) -> event.toString().contains("reported once")).hasSize(1);
		}
	}

	@Test
	void failsOnAnInvalidLevelNamingThePropertyTheValueAndTheValidOnes() {
		assertThatExceptionOfType(InvalidSentryPropertyException.class)
			.isThrownBy(() -> start(Plain.class, "sentry.logging.minimum-event-level=FATAL"))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("sentry.logging.minimum-event-level");
				assertThat(ex.getValue()).isEqualTo("FATAL");
				assertThat(ex.getFix()).contains("TRACE, DEBUG, INFO, WARN, ERROR, OFF");
			});
	}

	@Test
	void reportsTheFailureOfAStartupThatKillsTheContext() {
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> start(FailsWhileStarting.class,
					"spring.info.build.location=classpath:dev/sentryboot/autoconfigure/logging/build-info.properties"))
			.havingRootCause()
			.withMessage("schema migration failed");
		// No flush possible from here: the short-lived SDK delivered before the run ended.
		List<JsonNode> events = sentry.events();
		assertThat(events).hasSize(2);
		JsonNode logged = events.stream()
			.filter((event) -> event.path("logger").asString().equals("dev.example.startup"))
			.findFirst()
			.orElseThrow();
		assertThat(logged.path("message").path("formatted").asString()).isEqualTo("migrating schema of orders");
		JsonNode failure = events.stream()
			.filter((event) -> event.path("logger").asString().equals("org.springframework.boot.SpringApplication"))
			.findFirst()
			.orElseThrow();
		assertThat(failure.path("message").path("formatted").asString()).isEqualTo("Application run failed");
		assertThat(failure.path("exception").toString()).contains("schema migration failed");
		assertThat(breadcrumbMessages(failure, "dev.example.startup")).containsExactly("migrating schema of orders");
		// The release the application's other events have, from build-info.
		assertThat(failure.path("release").asString()).isEqualTo("orders@1.4.2");
	}

	@Test
	void reportsTheFailureOfARunnerThroughTheContextsSdk() {
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> start(FailingRunner.class))
			.withMessage("nightly import failed");
		// Closing the failed application flushed its SDK.
		assertThat(sentry.events()).singleElement().satisfies((event) -> {
			assertThat(event.path("message").path("formatted").asString()).isEqualTo("Application run failed");
			assertThat(event.path("exception").toString()).contains("nightly import failed");
		});
	}

	@Test
	void aSentryAppenderOfTheApplicationsLogbackConfigurationIsNotDoubledNorStartsTheSdk() {
		try (ConfigurableApplicationContext context = start(Plain.class,
				"logging.config=classpath:dev/sentryboot/autoconfigure/logging/logback-with-sentry-appender.xml")) {
			List<Appender<ILoggingEvent>> appenders = sentryAppenders(root());
			assertThat(appenders).singleElement()
				.satisfies((appender) -> assertThat(appender.getClass()).isEqualTo(SentryAppender.class));
			log.error("login failed with password=hunter2");
			context.getBean(SentrySdk.class).flush();
			JsonNode event = sentry.awaitEvents(1, WAIT).get(0);
			assertThat(sentry.events()).hasSize(1);
			// Scrubbed: the SDK that sent it is sentry-boot's, not one the appender started.
			assertThat(event.path("message").path("formatted").asString()).startsWith("login failed with password=")
				.doesNotContain("hunter2");
		}
	}

	private static ConfigurableApplicationContext start(Class<?> configuration, String... properties) {
		return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
			.properties("sentry.dsn=" + sentry.dsn(), "spring.main.banner-mode=off")
			.properties(properties)
			.run();
	}

	static JsonNode mainException(JsonNode event) {
		JsonNode values = event.path("exception").path("values");
		return values.get(values.size() - 1);
	}

	static List<String> breadcrumbMessages(JsonNode event, String category) {
		List<String> messages = new ArrayList<>();
		SentryTestServer.breadcrumbs(event, category).forEach((crumb) -> messages.add(crumb.path("message").asString()));
		return messages;
	}

	static Logger root() {
		return logger(org.slf4j.Logger.ROOT_LOGGER_NAME);
	}

	static Logger logger(String name) {
		return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(name);
	}

	static List<Appender<ILoggingEvent>> sentryAppenders(Logger logger) {
		List<Appender<ILoggingEvent>> found = new ArrayList<>();
		logger.iteratorForAppenders().forEachRemaining((appender) -> {
			if (appender instanceof SentryAppender) {
				found.add(appender);
			}
		});
		return found;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ SentryAutoConfiguration.class, SentryScrubAutoConfiguration.class })
	static class Plain {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ SentryAutoConfiguration.class, SentryScrubAutoConfiguration.class })
	static class LogsWhileStarting {

		boolean sdkWasRunning;

		@PostConstruct
		void warmCaches() {
			org.slf4j.Logger startup = LoggerFactory.getLogger("dev.example.startup");
			// A user configuration is created before the auto-configured SentrySdk.
			this.sdkWasRunning = Sentry.isEnabled();
			startup.info("warming caches");
			startup.error("cache warm-up failed for {}", "eu-1", new IllegalStateException("cache unreachable"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ SentryAutoConfiguration.class, SentryScrubAutoConfiguration.class })
	static class FailsWhileStarting {

		@Bean
		Migration migration() {
			return new Migration();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ SentryAutoConfiguration.class, SentryScrubAutoConfiguration.class })
	static class FailingRunner {

		@Bean
		ApplicationRunner nightlyImport() {
			return (arguments) -> {
				throw new IllegalStateException("nightly import failed");
			};
		}

	}

	static final class Migration {

		@PostConstruct
		void migrate() {
			LoggerFactory.getLogger("dev.example.startup").error("migrating schema of orders");
			throw new IllegalStateException("schema migration failed");
		}

	}

}
