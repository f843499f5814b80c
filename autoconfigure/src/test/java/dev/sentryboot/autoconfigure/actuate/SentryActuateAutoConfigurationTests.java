package dev.sentryboot.autoconfigure.actuate;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.local.LocalEventStore;
import dev.sentryboot.autoconfigure.local.SentryLocalStoreAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class SentryActuateAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(SentryAutoConfiguration.class, SentryLocalStoreAutoConfiguration.class,
					SentryActuateAutoConfiguration.class));

	@Test
	void exposesStoreWhenUserExposesTheEndpoint() {
		this.runner
			.withPropertyValues("sentry.local.enabled=true", "management.endpoints.web.exposure.include=sentry")
			.run((context) -> {
				SentryEndpoint endpoint = context.getBean(SentryEndpoint.class);
				context.getBean(LocalEventStore.class).clear();
				assertThat(endpoint.events()).isEmpty();
				capture(context, "first");
				capture(context, "second");
				assertThat(endpoint.events()).extracting((event) -> event.get("exception").toString())
					.satisfiesExactly((newest) -> assertThat(newest).contains("second"),
							(oldest) -> assertThat(oldest).contains("first"));
			});
	}

	@Test
	void noEndpointUnlessExposed() {
		this.runner.withPropertyValues("sentry.local.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(SentryEndpoint.class));
	}

	@Test
	void noEndpointWithoutStore() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=sentry")
			.run((context) -> assertThat(context).doesNotHaveBean(SentryEndpoint.class));
	}

	@Test
	void deleteClearsTheStore() {
		this.runner
			.withPropertyValues("sentry.local.enabled=true", "management.endpoints.web.exposure.include=sentry")
			.run((context) -> {
				capture(context, "to be cleared");
				assertThat(context.getBean(LocalEventStore.class).all()).hasSize(1);
				context.getBean(SentryEndpoint.class).clear();
				assertThat(context.getBean(LocalEventStore.class).all()).isEmpty();
			});
	}

	private static void capture(AssertableApplicationContext context, String message) {
		context.getBean(SentrySdk.class).getScopes().captureException(new IllegalStateException(message));
	}

}
