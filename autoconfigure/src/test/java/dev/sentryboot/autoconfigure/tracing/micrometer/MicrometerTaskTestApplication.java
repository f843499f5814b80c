package dev.sentryboot.autoconfigure.tracing.micrometer;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.observation.annotation.Observed;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * A @Scheduled method, observed by Spring (and so traced by Micrometer and made a transaction
 * by Sentry's task instrumentation), that calls an @Observed method.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableScheduling
@Import({ MicrometerTaskTestApplication.Inventory.class, MicrometerTaskTestApplication.InventoryJob.class })
class MicrometerTaskTestApplication {

	@Service
	static class Inventory {

		@Observed(name = "inventory.sync", contextualName = "sync inventory")
		int sync() {
			return 42;
		}

	}

	static class InventoryJob {

		final AtomicInteger runs = new AtomicInteger();

		private final Inventory inventory;

		InventoryJob(Inventory inventory) {
			this.inventory = inventory;
		}

		@Scheduled(fixedDelay = 200)
		void tick() {
			this.runs.addAndGet(this.inventory.sync() > 0 ? 1 : 0);
		}

	}

}
