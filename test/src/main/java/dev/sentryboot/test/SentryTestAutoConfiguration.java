package dev.sentryboot.test;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.local.LocalEventStore;
import dev.sentryboot.autoconfigure.local.SentryLocalStoreAutoConfiguration;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * What {@link AutoConfigureSentryTest} adds to a test's application context: the
 * {@link SentryEvents} bean over this context's own {@link LocalEventStore}, and in a servlet
 * web application the filter that tells when requests are done.
 */
@AutoConfiguration(after = SentryLocalStoreAutoConfiguration.class)
public final class SentryTestAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SentryEvents sentryEvents(ObjectProvider<LocalEventStore> store, SentrySdk sdk,
			ObjectProvider<InFlightRequests> requests) {
		LocalEventStore events = store.getIfAvailable();
		if (events == null) {
			throw new IllegalStateException("@AutoConfigureSentryTest needs the local event store, and the "
					+ "application context has none: do not exclude SentryLocalStoreAutoConfiguration in this test");
		}
		return new SentryEvents(events, sdk, requests.getIfAvailable());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(Filter.class)
	static class InFlightRequestsConfiguration {

		@Bean
		InFlightRequests sentryTestInFlightRequests() {
			return new InFlightRequests();
		}

		@Bean
		FilterRegistrationBean<InFlightRequestsFilter> sentryTestInFlightRequestsFilter(InFlightRequests requests) {
			FilterRegistrationBean<InFlightRequestsFilter> registration = new FilterRegistrationBean<>(
					new InFlightRequestsFilter(requests));
			// Outside every other filter, the request filter that reports errors included.
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
			return registration;
		}

	}

}
