package dev.sentryboot.autoconfigure.actuate;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.local.LocalEventStore;
import dev.sentryboot.autoconfigure.local.SentryLocalStoreAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator support: the {@code sentry} endpoint over the local event store.
 */
@AutoConfiguration(after = { SentryAutoConfiguration.class, SentryLocalStoreAutoConfiguration.class })
@ConditionalOnClass(Endpoint.class)
public final class SentryActuateAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(LocalEventStore.class)
	@ConditionalOnAvailableEndpoint(SentryEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SentryEndpoint sentryEndpoint(LocalEventStore store) {
			return new SentryEndpoint(store);
		}

	}

}
