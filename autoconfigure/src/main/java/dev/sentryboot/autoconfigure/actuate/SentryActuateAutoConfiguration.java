package dev.sentryboot.autoconfigure.actuate;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.local.LocalEventStore;
import dev.sentryboot.autoconfigure.local.SentryLocalStoreAutoConfiguration;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Actuator support: the {@code sentry} endpoint over the local event store, the {@code sentry}
 * health indicator, {@code sentry.*} metrics and the {@code sentry} info contributor, the last
 * three fed by one {@link SentryDelivery}.
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

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(SentrySdk.class)
	static class DeliveryConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SentryDelivery sentryDelivery(ObjectProvider<LocalEventStore> store) {
			SentryDelivery delivery = new SentryDelivery();
			store.ifAvailable((events) -> delivery.addListener(new SentryDelivery.Listener() {

				@Override
				public void envelope(String eventId, String status, @Nullable String reason) {
					events.updateDelivery(eventId, status, reason);
				}

			}));
			return delivery;
		}

		// Late, to wrap the transport a user customizer chose; the local event store's
		// customizer (lowest precedence) wraps this one in turn.
		@Bean
		@Order(Ordered.LOWEST_PRECEDENCE - 1)
		SentryDeliveryCustomizer sentryDeliveryCustomizer(SentryDelivery delivery) {
			return new SentryDeliveryCustomizer(delivery);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(SentrySdk.class)
	@ConditionalOnClass(HealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("sentry")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SentryHealthIndicator sentryHealthIndicator(SentrySdk sdk, SentryDelivery delivery) {
			return new SentryHealthIndicator(sdk, delivery);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(SentrySdk.class)
	@ConditionalOnClass(MeterBinder.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SentryMetrics sentryMetrics(SentryDelivery delivery, SentrySdk sdk) {
			return new SentryMetrics(delivery, sdk::getOptions);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(SentrySdk.class)
	@ConditionalOnClass(InfoContributor.class)
	@ConditionalOnEnabledInfoContributor("sentry")
	static class InfoConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SentryInfoContributor sentryInfoContributor(SentrySdk sdk) {
			return new SentryInfoContributor(sdk);
		}

	}

}
