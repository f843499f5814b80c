package dev.sentryboot.autoconfigure.task;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import io.micrometer.observation.ObservationRegistry;
import io.sentry.Sentry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * @Scheduled methods in an application without Actuator: no observation registry is set up by
 * Spring Boot, the integration brings its own.
 */
class ScheduledWithoutActuatorTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Test
	void failingRunArrivesAndRunsAreTraced() {
		try (SentryTestServer sentry = new SentryTestServer()) {
			runner(sentry).run((context) -> {
				assertThat(context).doesNotHaveBean(ObservationRegistry.class);
				JsonNode event = sentry.awaitEvents(1, WAIT).get(0);
				JsonNode exception = event.path("exception").path("values").get(0);
				assertThat(exception.path("value").asString()).isEqualTo("second run failed");
				assertThat(exception.path("mechanism").path("type").asString()).isEqualTo("spring.scheduled");
				assertThat(event.path("tags").path("run").asString()).isEqualTo("2");
				JsonNode transaction = sentry.awaitTransactions(1, WAIT).get(0);
				assertThat(transaction.path("transaction").asString()).isEqualTo("Job.run");
				assertThat(transaction.path("contexts").path("trace").path("op").asString())
					.isEqualTo("task.scheduled");
			});
		}
	}

	@Test
	void failingRunIsOnlyMarkedOnItsTransactionWhenUnhandledErrorsAreNotCaptured() {
		try (SentryTestServer sentry = new SentryTestServer()) {
			runner(sentry).withPropertyValues("sentry.capture-unhandled-errors=false").run((context) -> {
				await().atMost(WAIT)
					.until(() -> sentry.transactions()
						.stream()
						.anyMatch((tx) -> "internal_error"
							.equals(tx.path("contexts").path("trace").path("status").asString())));
				context.getBean(SentrySdk.class).flush();
				assertThat(sentry.events()).isEmpty();
			});
		}
	}

	private static ApplicationContextRunner runner(SentryTestServer sentry) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SentryAutoConfiguration.class, SentryTaskAutoConfiguration.class,
					TaskSchedulingAutoConfiguration.class))
			.withUserConfiguration(Config.class)
			.withPropertyValues("sentry.dsn=" + sentry.dsn(), "sentry.traces-sample-rate=1.0");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	@Import(Job.class)
	static class Config {

	}

	static class Job {

		private final AtomicInteger runs = new AtomicInteger();

		@Scheduled(fixedDelay = 200)
		void run() {
			int run = this.runs.incrementAndGet();
			Sentry.setTag("run", String.valueOf(run));
			if (run == 2) {
				throw new IllegalStateException("second run failed");
			}
		}

	}

}
