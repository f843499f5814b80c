package dev.sentryboot.autoconfigure.tracing;

import java.util.ArrayList;
import java.util.List;

import dev.sentryboot.autoconfigure.InvalidSentryPropertyException;
import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.web.SentryWebAutoConfiguration;
import io.sentry.SentryOptions;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

class SentryTracingAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(SentryAutoConfiguration.class,
			SentryTracingAutoConfiguration.class, SentryWebAutoConfiguration.class, RestClientAutoConfiguration.class,
			RestTemplateAutoConfiguration.class);

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS);

	@Test
	void tracesRequestsAndTheClientsBootBuilds() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(SentryRequestTracing.class)
				.hasSingleBean(RequestTraceStarter.class)
				.hasSingleBean(SentryClientHttpRequestInterceptor.class);
			SentryClientHttpRequestInterceptor interceptor = context.getBean(SentryClientHttpRequestInterceptor.class);
			List<ClientHttpRequestInterceptor> restClientInterceptors = new ArrayList<>();
			context.getBean(RestClient.Builder.class).requestInterceptors(restClientInterceptors::addAll);
			assertThat(restClientInterceptors).containsOnlyOnce(interceptor);
			assertThat(context.getBean(RestTemplateBuilder.class).build().getInterceptors())
				.containsOnlyOnce(interceptor);
		});
	}

	@Test
	void backsOffWhenUserDefinesRequestTraceStarter() {
		RequestTraceStarter own = (request, scopes) -> null;
		this.runner.withBean(RequestTraceStarter.class, () -> own)
			.run((context) -> assertThat(context).getBean(RequestTraceStarter.class).isSameAs(own));
	}

	@Test
	void tracesOnlyOutgoingCallsInNonWebApplications() {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.run((context) -> assertThat(context).doesNotHaveBean(SentryRequestTracing.class)
				.hasSingleBean(SentryClientHttpRequestInterceptor.class));
	}

	@Test
	void mapsPropagationProperties() {
		this.runner
			.withPropertyValues("sentry.dsn=http://key@127.0.0.1:9/1",
					"sentry.trace-propagation-targets=api.example.com,https://.*\\.internal/.*")
			.run((context) -> {
				SentryOptions options = context.getBean(SentrySdk.class).getOptions();
				assertThat(options.getTracePropagationTargets()).containsExactly("api.example.com",
						"https://.*\\.internal/.*");
				assertThat(options.isPropagateTraceparent()).isTrue();
			});
		this.runner
			.withPropertyValues("sentry.dsn=http://key@127.0.0.1:9/1", "sentry.tracing.propagate-traceparent=false")
			.run((context) -> {
				SentryOptions options = context.getBean(SentrySdk.class).getOptions();
				assertThat(options.getTracePropagationTargets()).containsExactly(".*");
				assertThat(options.isPropagateTraceparent()).isFalse();
			});
	}

	@Test
	void failsAtStartupOnPropagationTargetThatIsNoRegularExpression() {
		this.runner.withPropertyValues("sentry.trace-propagation-targets=api.example.com,https://[broken")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				while (failure != null && !(failure instanceof InvalidSentryPropertyException)) {
					failure = failure.getCause();
				}
				assertThat(failure).isInstanceOfSatisfying(InvalidSentryPropertyException.class, (invalid) -> {
					assertThat(invalid.getProperty()).isEqualTo("sentry.trace-propagation-targets");
					assertThat(invalid.getValue()).isEqualTo("https://[broken");
					assertThat(invalid.getFix()).contains("regular expression");
				});
			});
	}

	@Test
	void samplerBeanIsUsedOnlyWhenTracingIsEnabled() {
		SentryOptions.TracesSamplerCallback sampler = (context) -> 0.5;
		WebApplicationContextRunner withSampler = this.runner.withBean(SentryOptions.TracesSamplerCallback.class,
				() -> sampler)
			.withPropertyValues("sentry.dsn=http://key@127.0.0.1:9/1");
		withSampler.run((context) -> assertThat(context.getBean(SentrySdk.class).getOptions().getTracesSampler())
			.isSameAs(sampler));
		withSampler.withPropertyValues("sentry.enable-tracing=false").run((context) -> {
			SentryOptions options = context.getBean(SentrySdk.class).getOptions();
			assertThat(options.getTracesSampler()).isNull();
			assertThat(options.isTracingEnabled()).isFalse();
		});
	}

}
