package dev.sentryboot.autoconfigure.actuate;

import io.sentry.SentryOptions.BeforeSendCallback;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * An application with Actuator, Prometheus and a before-send callback that drops events whose
 * message says so.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class ActuatorTestApplication {

	static final String DROP_ME = "drop-me";

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@Bean
	BeforeSendCallback dropMarkedMessages() {
		return (event, hint) -> (event.getMessage() != null
				&& DROP_ME.equals(event.getMessage().getFormatted())) ? null : event;
	}

}
