package dev.sentryboot.autoconfigure.task;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.scheduling.support.ScheduledTaskObservationContext;

/**
 * Lets the {@link SentryScheduledTaskHandler} observe {@code @Scheduled} runs: it joins the
 * observation registry the scheduling infrastructure already uses (Spring Boot's, with
 * Actuator), or gives it one of its own. Ordered last so that it sees the registry any other
 * configurer set.
 */
final class SentryScheduledTaskConfigurer implements SchedulingConfigurer, Ordered {

	private final ObservationHandler<ScheduledTaskObservationContext> handler;

	SentryScheduledTaskConfigurer(ObservationHandler<ScheduledTaskObservationContext> handler) {
		this.handler = handler;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		ObservationRegistry registry = registrar.getObservationRegistry();
		if (registry == null || registry == ObservationRegistry.NOOP) {
			registry = ObservationRegistry.create();
			registrar.setObservationRegistry(registry);
		}
		registry.observationConfig().observationHandler(this.handler);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
