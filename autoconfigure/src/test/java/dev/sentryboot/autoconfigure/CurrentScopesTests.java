package dev.sentryboot.autoconfigure;

import java.time.Duration;

import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import io.sentry.IScopes;
import io.sentry.ISentryLifecycleToken;
import io.sentry.NoOpScopes;
import io.sentry.Sentry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The injectable {@link IScopes}: the scopes of the current unit of work of its own context.
 */
class CurrentScopesTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SentryAutoConfiguration.class));

	@Test
	void isANoOpThatNeverThrowsWhenTheSdkIsOff() {
		this.runner.run((context) -> {
			IScopes scopes = context.getBean(IScopes.class);
			assertThat(scopes.isEnabled()).isFalse();
			scopes.setTag("ignored", "yes");
			assertThat(scopes.captureMessage("nowhere")).isNotNull();
		});
	}

	@Test
	void backsOffWhenTheApplicationDefinesItsOwnScopes() {
		this.runner.withBean(IScopes.class, NoOpScopes::getInstance)
			.run((context) -> assertThat(context.getBean(IScopes.class)).isSameAs(NoOpScopes.getInstance()));
	}

	@Test
	void actsOnTheCurrentUnitOfWorkOfItsOwnContextOnly() {
		try (SentryTestServer first = new SentryTestServer(); SentryTestServer second = new SentryTestServer()) {
			try (ConfigurableApplicationContext a = start(first); ConfigurableApplicationContext b = start(second)) {
				IScopes aScopes = a.getBean(IScopes.class);
				IScopes bScopes = b.getBean(IScopes.class);
				aScopes.captureMessage("a outside any request");
				bScopes.captureMessage("b outside any request");

				// What a request of context b does: its forked scopes become current on the thread.
				IScopes request = b.getBean(SentrySdk.class).getScopes().forkedScopes("test request");
				try (ISentryLifecycleToken ignored = request.makeCurrent()) {
					bScopes.setTag("request-tag", "b");
					bScopes.captureMessage("b inside the request");
					Sentry.captureMessage("static API inside the request of b");
					aScopes.captureMessage("a while b's request runs");
				}
				bScopes.captureMessage("b after the request");

				assertThat(first.awaitEvents(2, WAIT)).extracting((event) -> event.path("message").path("formatted").asString())
					.containsExactlyInAnyOrder("a outside any request", "a while b's request runs");
				assertThat(second.awaitEvents(4, WAIT)).satisfiesExactlyInAnyOrder(
						(event) -> assertThat(event.path("message").path("formatted").asString()).isEqualTo("b outside any request"),
						(event) -> {
							assertThat(event.path("message").path("formatted").asString()).isEqualTo("b inside the request");
							assertThat(event.path("tags").path("request-tag").asString()).isEqualTo("b");
						}, (event) -> {
							assertThat(event.path("message").path("formatted").asString())
								.isEqualTo("static API inside the request of b");
							assertThat(event.path("tags").path("request-tag").asString()).isEqualTo("b");
						}, (event) -> {
							assertThat(event.path("message").path("formatted").asString()).isEqualTo("b after the request");
							assertThat(event.path("tags").has("request-tag")).isFalse();
						});
				assertThat(first.events()).hasSize(2);
			}
		}
	}

	private static ConfigurableApplicationContext start(SentryTestServer sentry) {
		return new SpringApplicationBuilder(Config.class).web(WebApplicationType.NONE)
			.properties("sentry.dsn=" + sentry.dsn(), "spring.main.banner-mode=off")
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(SentryAutoConfiguration.class)
	static class Config {

	}

}
