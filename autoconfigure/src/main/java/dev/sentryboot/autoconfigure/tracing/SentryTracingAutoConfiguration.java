package dev.sentryboot.autoconfigure.tracing;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentryOptionsCustomizer;
import dev.sentryboot.autoconfigure.SentryProperties;
import dev.sentryboot.autoconfigure.SentrySdk;
import io.sentry.SentryOptions.TracesSamplerCallback;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Performance monitoring: web requests as transactions ({@code sentry.tracing.*}), and trace
 * propagation to the calls of the RestClient, RestTemplate and WebClient builders Spring Boot
 * provides ({@code sentry.trace-propagation-targets}).
 */
@AutoConfiguration(after = SentryAutoConfiguration.class,
		beforeName = { "dev.sentryboot.autoconfigure.web.SentryWebAutoConfiguration",
				"org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration",
				"org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration",
				"org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration" })
public final class SentryTracingAutoConfiguration {

	/** A sampler bean decides before {@code traces-sample-rate}, as in the SDK. */
	@Bean
	SentryOptionsCustomizer sentryTracesSamplerCustomizer(SentryProperties properties,
			ObjectProvider<TracesSamplerCallback> sampler) {
		return (options) -> {
			TracesSamplerCallback callback = sampler.getIfUnique();
			if (callback != null && properties.isEnableTracing()) {
				options.setTracesSampler(callback);
			}
		};
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ HttpServletRequest.class, DispatcherServlet.class })
	static class RequestTracingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RequestTraceStarter sentryRequestTraceStarter() {
			return new SentryRequestTraceStarter();
		}

		@Bean
		@ConditionalOnMissingBean
		SentryRequestTracing sentryRequestTracing(RequestTraceStarter starter, SentryProperties properties) {
			return new SentryRequestTracing(starter, properties.getTracing().getIgnoredPaths());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ClientHttpRequestInterceptor.class)
	static class HttpClientTracingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HttpClientTracing sentryHttpClientTracing(ObjectProvider<SentrySdk> sdk) {
			return new HttpClientTracing(sdk::getIfAvailable);
		}

		@Bean
		@ConditionalOnMissingBean
		SentryClientHttpRequestInterceptor sentryClientHttpRequestInterceptor(HttpClientTracing tracing) {
			return new SentryClientHttpRequestInterceptor(tracing);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ RestClientCustomizer.class, ClientHttpRequestInterceptor.class })
	static class RestClientTracingConfiguration {

		@Bean
		RestClientCustomizer sentryRestClientCustomizer(SentryClientHttpRequestInterceptor interceptor) {
			return (builder) -> builder.requestInterceptor(interceptor);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ RestTemplateCustomizer.class, ClientHttpRequestInterceptor.class })
	static class RestTemplateTracingConfiguration {

		@Bean
		RestTemplateCustomizer sentryRestTemplateCustomizer(SentryClientHttpRequestInterceptor interceptor) {
			return (restTemplate) -> {
				if (!restTemplate.getInterceptors().contains(interceptor)) {
					restTemplate.getInterceptors().add(interceptor);
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClientCustomizer.class, WebClient.class, ClientHttpRequestInterceptor.class })
	static class WebClientTracingConfiguration {

		@Bean
		WebClientCustomizer sentryWebClientCustomizer(HttpClientTracing tracing) {
			SentryExchangeFilterFunction filter = new SentryExchangeFilterFunction(tracing);
			return (builder) -> builder.filter(filter);
		}

	}

}
