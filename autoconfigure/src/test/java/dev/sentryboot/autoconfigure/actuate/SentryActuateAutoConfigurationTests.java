package dev.sentryboot.autoconfigure.actuate;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.local.LocalEventStore;
import dev.sentryboot.autoconfigure.local.SentryLocalStoreAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.info.Info;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
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

	@Test
	void healthIsUnknownWhenSentryIsDisabled() {
		this.runner.withPropertyValues("sentry.enabled=false", "sentry.dsn=http://key@127.0.0.1:9/1").run((context) -> {
			Health health = context.getBean(SentryHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
			assertThat(health.getDetails()).containsEntry("enabled", false);
		});
	}

	@Test
	void healthIsUnknownWithoutDsn() {
		this.runner.run((context) -> assertThat(context.getBean(SentryHealthIndicator.class).health().getStatus())
			.isEqualTo(Status.UNKNOWN));
	}

	@Test
	void infoShowsSdkVersionEvenWhenDisabled() {
		this.runner.withPropertyValues("sentry.enabled=false").run((context) -> {
			Info.Builder builder = new Info.Builder();
			context.getBean(SentryInfoContributor.class).contribute(builder);
			assertThat(builder.build().get("sentry")).asString().contains("version=8.53.0").contains("enabled=false");
		});
	}

	@Test
	void healthIndicatorAndInfoContributorFollowManagementToggles() {
		this.runner.withPropertyValues("management.health.sentry.enabled=false", "management.info.sentry.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SentryHealthIndicator.class)
				.doesNotHaveBean(SentryInfoContributor.class)
				.hasSingleBean(SentryMetrics.class));
		this.runner.withPropertyValues("management.health.defaults.enabled=false",
				"management.info.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SentryHealthIndicator.class)
				.doesNotHaveBean(SentryInfoContributor.class));
	}

	@Test
	void backsOffWhenUserDefinesItsOwnBeans() {
		SentryDelivery delivery = new SentryDelivery();
		this.runner.withBean(SentryDelivery.class, () -> delivery)
			.withBean(SentryMetrics.class, () -> new SentryMetrics(delivery, () -> null))
			.run((context) -> {
				assertThat(context.getBean(SentryDelivery.class)).isSameAs(delivery);
				assertThat(context).hasSingleBean(SentryMetrics.class);
				assertThat(context.getBean(SentryHealthIndicator.class)).isNotNull();
			});
	}

}
