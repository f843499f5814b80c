package dev.sentryboot.autoconfigure.local;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentryProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The local event store ({@code sentry.local.enabled}): events kept in memory, with or without
 * a DSN.
 */
@AutoConfiguration(after = SentryAutoConfiguration.class)
@ConditionalOnBooleanProperty("sentry.local.enabled")
public final class SentryLocalStoreAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LocalEventStore sentryLocalEventStore(SentryProperties properties) {
		return new LocalEventStore(properties.getLocal().getCapacity());
	}

	// Last of the customizers, so it wraps whatever transport a user customizer chose.
	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	LocalStoreOptionsCustomizer sentryLocalStoreOptionsCustomizer(LocalEventStore store,
			SentryProperties properties) {
		return new LocalStoreOptionsCustomizer(store, properties.getLocal().isOnly());
	}

}
