package dev.sentryboot.autoconfigure.tracing.micrometer;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentryOptionsCustomizer;
import dev.sentryboot.autoconfigure.SentryProperties;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.task.TaskTraceParent;
import dev.sentryboot.autoconfigure.tracing.RequestTraceStarter;
import dev.sentryboot.autoconfigure.tracing.SentryTracingAutoConfiguration;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The Micrometer Tracing bridge, for applications with a {@link Tracer} (Spring Boot's
 * OpenTelemetry or Brave bridge): Sentry traces (of requests and of {@code @Scheduled} runs)
 * continue Micrometer's, events carry its trace, and observations become spans of Sentry
 * transactions. Before the request tracing configuration, whose default trace starter backs
 * off for this one.
 */
@AutoConfiguration(after = SentryAutoConfiguration.class, before = SentryTracingAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
				"org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration",
				"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
				"org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration" })
@ConditionalOnClass(name = "io.micrometer.tracing.Tracer")
@ConditionalOnBean(Tracer.class)
public final class SentryMicrometerTracingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MicrometerTraceEventProcessor sentryMicrometerTraceEventProcessor(Tracer tracer) {
		return new MicrometerTraceEventProcessor(tracer);
	}

	/**
	 * Micrometer's propagator already writes {@code traceparent} on observed clients, naming its
	 * own client span, which Tempo knows; Sentry's would replace it with a span only Sentry
	 * knows. The trace id is the same either way; {@code sentry-trace} still goes out.
	 */
	@Bean
	SentryOptionsCustomizer sentryMicrometerTraceparentCustomizer(Tracer tracer) {
		return (options) -> {
			if (tracer != Tracer.NOOP) {
				options.setPropagateTraceparent(false);
			}
		};
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnClass(ObservationHandler.class)
	SentryObservationHandler sentryObservationHandler(ObjectProvider<SentrySdk> sdk, SentryProperties properties) {
		boolean sentryRecordsJdbc = properties.getJdbc().isEnabled()
				&& ClassUtils.isPresent("net.ttddyy.dsproxy.support.ProxyDataSource", getClass().getClassLoader());
		return new SentryObservationHandler(sdk::getIfAvailable, sentryRecordsJdbc);
	}

	@Bean
	@ConditionalOnMissingBean(TaskTraceParent.class)
	@ConditionalOnClass(ObservationHandler.class)
	MicrometerTaskTraceParent sentryMicrometerTaskTraceParent() {
		return new MicrometerTaskTraceParent();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ HttpServletRequest.class, DispatcherServlet.class })
	static class RequestTraceConfiguration {

		@Bean
		@ConditionalOnMissingBean(RequestTraceStarter.class)
		MicrometerRequestTraceStarter sentryMicrometerRequestTraceStarter(Tracer tracer) {
			return new MicrometerRequestTraceStarter(tracer);
		}

	}

}
