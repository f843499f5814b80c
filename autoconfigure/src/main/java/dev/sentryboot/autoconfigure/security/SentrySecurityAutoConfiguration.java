package dev.sentryboot.autoconfigure.security;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.web.SentryWebAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The user of web events from Spring Security (used only when {@code sentry.send-default-pii} is
 * true).
 */
@AutoConfiguration(after = { SentryAutoConfiguration.class, SentryWebAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ SecurityContextHolder.class, jakarta.servlet.Filter.class })
public final class SentrySecurityAutoConfiguration {

	// First of the user providers: the application's own ones refine what it finds.
	@Bean
	@ConditionalOnMissingBean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SpringSecurityUserProvider sentrySpringSecurityUserProvider() {
		return new SpringSecurityUserProvider();
	}

}
