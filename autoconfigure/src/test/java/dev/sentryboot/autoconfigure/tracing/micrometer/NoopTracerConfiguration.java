package dev.sentryboot.autoconfigure.tracing.micrometer;

import io.micrometer.tracing.Tracer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What Spring Boot registers when Micrometer Tracing has no bridge. */
@Configuration(proxyBeanMethods = false)
class NoopTracerConfiguration {

	@Bean
	Tracer tracer() {
		return Tracer.NOOP;
	}

}
