package dev.sentryboot.autoconfigure.tracing;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.tracing.micrometer.SentryMicrometerTracingAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tests of this module run as applications without Micrometer Tracing (the bridge's tests
 * have a run of their own): the bridge is inert there and requests are traced by Sentry alone.
 */
class WithoutMicrometerTracingTests {

	@Test
	void micrometerTracingIsNotOnTheClasspathOfTheseTests() {
		assertThat(ClassUtils.isPresent("io.micrometer.tracing.Tracer", getClass().getClassLoader())).isFalse();
		assertThat(ClassUtils.isPresent("io.opentelemetry.api.OpenTelemetry", getClass().getClassLoader())).isFalse();
	}

	@Test
	void theBridgeBacksOffAndSentryStartsTheTrace() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SentryAutoConfiguration.class,
					SentryMicrometerTracingAutoConfiguration.class, SentryTracingAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).getBean(RequestTraceStarter.class).isInstanceOf(SentryRequestTraceStarter.class);
				assertThat(context.getBeanNamesForType(io.sentry.EventProcessor.class)).isEmpty();
			});
	}

}
