package dev.sentryboot.autoconfigure.web;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentryProperties;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.tracing.SentryRequestTracing;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Spring MVC error capture (and request tracing, when the tracing configuration provides it):
 * the per-request filter and the exception resolver.
 */
@AutoConfiguration(after = SentryAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ Filter.class, DispatcherServlet.class })
public final class SentryWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingFilterBean(SentryRequestFilter.class)
	FilterRegistrationBean<SentryRequestFilter> sentryRequestFilter(SentrySdk sdk, SentryProperties properties,
			ObjectProvider<SentryUserProvider> userProviders, ObjectProvider<SentryRequestTracing> tracing) {
		SentryRequestFilter filter = new SentryRequestFilter(sdk, properties.isCaptureApiErrors(),
				properties.isSendDefaultPii(), userProviders.orderedStream().toList(), tracing.getIfAvailable());
		FilterRegistrationBean<SentryRequestFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setOrder(SentryRequestFilter.ORDER);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
		return registration;
	}

	@Bean
	@ConditionalOnMissingBean
	SentryExceptionResolver sentryExceptionResolver() {
		return new SentryExceptionResolver();
	}

}
