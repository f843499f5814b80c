package dev.sentryboot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK's life with its application context, seen from the Sentry side of the wire.
 */
class SentrySdkTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Test
	void flushesPendingEventsWhenTheContextCloses() {
		try (SentryTestServer sentry = new SentryTestServer()) {
			ConfigurableApplicationContext context = start(sentry, "sentry.shutdown-timeout=5s");
			for (int i = 0; i < 20; i++) {
				context.getBean(SentrySdk.class).getScopes().captureException(new IllegalStateException("e" + i));
			}
			context.close();
			// No waiting: close returns only after the queue was delivered.
			assertThat(sentry.events()).hasSize(20);
		}
	}

	@Test
	void deliversTheDiskCacheWhenSentryComesBack(@TempDir Path cache) {
		try (SentryTestServer sentry = new SentryTestServer()) {
			sentry.stop();
			// Short HTTP timeouts: a cached file counts as in flight for that long.
			try (ConfigurableApplicationContext context = start(FastTimeouts.class, sentry,
					"sentry.cache-dir-path=" + cache, "sentry.cache-retry-interval=200ms")) {
				SentrySdk sdk = context.getBean(SentrySdk.class);
				sdk.getScopes().captureException(new IllegalStateException("while Sentry was away"));
				sdk.flush();
				assertThat(sentry.events()).isEmpty();
				sentry.start();
				JsonNode event = sentry.awaitEvents(1, WAIT).get(0);
				assertThat(event.path("exception").toString()).contains("while Sentry was away");
			}
		}
	}

	@Test
	void eachContextReportsThroughItsOwnConfigurationAndOutlivesTheOther() {
		try (SentryTestServer first = new SentryTestServer(); SentryTestServer second = new SentryTestServer()) {
			ConfigurableApplicationContext a = start(first, "sentry.environment=a");
			ConfigurableApplicationContext b = start(second, "sentry.environment=b");
			try {
				a.getBean(SentrySdk.class).getScopes().captureException(new IllegalStateException("from a"));
				b.getBean(SentrySdk.class).getScopes().captureException(new IllegalStateException("from b"));
				assertThat(first.awaitEvents(1, WAIT).get(0).path("environment").asString()).isEqualTo("a");
				assertThat(second.awaitEvents(1, WAIT).get(0).path("environment").asString()).isEqualTo("b");

				a.close();
				b.getBean(SentrySdk.class).getScopes().captureException(new IllegalStateException("b after a closed"));
				assertThat(second.awaitEvents(2, WAIT).get(1).path("exception").toString())
					.contains("b after a closed");

				ConfigurableApplicationContext c = start(first, "sentry.environment=c");
				b.close();
				c.getBean(SentrySdk.class).getScopes().captureException(new IllegalStateException("c after b closed"));
				assertThat(first.awaitEvents(2, WAIT).get(1).path("environment").asString()).isEqualTo("c");
				c.close();
				assertThat(first.events()).hasSize(2);
				assertThat(second.events()).hasSize(2);
			}
			finally {
				a.close();
				b.close();
			}
		}
	}

	private static ConfigurableApplicationContext start(SentryTestServer sentry, String... properties) {
		return start(Config.class, sentry, properties);
	}

	private static ConfigurableApplicationContext start(Class<?> configuration, SentryTestServer sentry,
			String... properties) {
		return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
			.properties("sentry.dsn=" + sentry.dsn(), "spring.main.banner-mode=off")
			.properties(properties)
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(SentryAutoConfiguration.class)
	static class Config {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(SentryAutoConfiguration.class)
	static class FastTimeouts {

		@Bean
		SentryOptionsCustomizer fastTimeouts() {
			return (options) -> {
				options.setConnectionTimeoutMillis(300);
				options.setReadTimeoutMillis(300);
			};
		}

	}

}
