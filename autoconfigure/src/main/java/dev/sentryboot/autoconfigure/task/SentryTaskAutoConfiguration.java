package dev.sentryboot.autoconfigure.task;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentryProperties;
import dev.sentryboot.autoconfigure.SentrySdk;
import io.micrometer.observation.ObservationRegistry;
import io.sentry.Sentry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.annotation.AsyncAnnotationAdvisor;
import org.springframework.scheduling.support.ScheduledTaskObservationContext;
import org.springframework.util.function.SingletonSupplier;

/**
 * Background work: Sentry scopes carried into the executors Spring Boot builds, and scopes,
 * transactions and exception capture for {@code @Async} and {@code @Scheduled} methods.
 */
@AutoConfiguration(after = SentryAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ScheduledTasksObservationAutoConfiguration")
@ConditionalOnClass({ Sentry.class, TaskDecorator.class })
@ConditionalOnBooleanProperty(name = "sentry.tasks.enabled", matchIfMissing = true)
public final class SentryTaskAutoConfiguration {

	// Boot composes every TaskDecorator bean (CompositeTaskDecorator, in order) for the
	// executors and schedulers its builders create: the application's own decorators keep
	// working next to this one.
	@Bean
	@ConditionalOnMissingBean
	SentryTaskDecorator sentryTaskDecorator(SentrySdk sdk) {
		return new SentryTaskDecorator(sdk);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(AsyncAnnotationAdvisor.class)
	static class AsyncMethodConfiguration {

		// Static: a post-processor is created before every other bean, the SDK's included.
		@Bean
		static SentryAsyncMethodPostProcessor sentryAsyncMethodPostProcessor(ObjectProvider<SentrySdk> sdk,
				ObjectProvider<SentryProperties> properties) {
			return new SentryAsyncMethodPostProcessor(new SentryAsyncMethodInterceptor(SingletonSupplier.of(() -> {
				SentryProperties p = properties.getObject();
				return new SentryAsyncMethodInterceptor.Settings(sdk.getObject(), p.getTasks().isTraceAsync(),
						p.isCaptureUnhandledErrors());
			})));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ObservationRegistry.class, ScheduledTaskObservationContext.class })
	static class ScheduledMethodConfiguration {

		// A TaskTraceParent bean (the Micrometer Tracing bridge's) puts runs into another tracer's
		// trace.
		@Bean
		SentryScheduledTaskConfigurer sentryScheduledTaskConfigurer(SentrySdk sdk, SentryProperties properties,
				ObjectProvider<TaskTraceParent> traceParent) {
			return new SentryScheduledTaskConfigurer(new SentryScheduledTaskHandler(sdk,
					properties.getTasks().isTraceScheduled(), properties.isCaptureUnhandledErrors(),
					traceParent.getIfAvailable(() -> TaskTraceParent.NONE)));
		}

	}

}
