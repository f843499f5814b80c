package dev.sentryboot.sample;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * HTTP Basic with two demo users, so that events from the orders API carry the user who made the
 * request (with {@code sentry.send-default-pii=true}) and so that the scrubber has an
 * {@code Authorization} header to remove.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests
			// The event viewer is only exposed in dev (see application.yml); prod exposes health only.
			.requestMatchers(EndpointRequest.to("health", "info", "sentry")).permitAll()
			.requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole("ADMIN")
			// Failing demo endpoints are open so that one curl shows an event.
			.requestMatchers("/sentry-test", "/api/fail").permitAll()
			// Unhandled exceptions are rendered by an ERROR dispatch to /error: without this an
			// anonymous 500 would turn into a 401.
			.requestMatchers("/error").permitAll()
			.requestMatchers("/api/**").authenticated()
			.anyRequest().denyAll());
		http.httpBasic(Customizer.withDefaults());
		// Stateless Basic-auth API: no session cookie, so there is nothing for CSRF to protect.
		http.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		http.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@Bean
	UserDetailsService userDetailsService() {
		PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password(encoder.encode("alice-password")).roles("USER").build(),
				User.withUsername("bob").password(encoder.encode("bob-password")).roles("ADMIN").build());
	}

}
