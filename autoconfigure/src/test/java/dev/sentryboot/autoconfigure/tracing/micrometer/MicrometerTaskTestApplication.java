package dev.sentryboot.autoconfigure.tracing.micrometer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.observation.annotation.Observed;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.slf4j.MDC;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * @Scheduled methods, observed by Spring (and so traced by Micrometer and made transactions by
 * Sentry's task instrumentation): one calls an @Observed method, one records the trace it runs
 * in and fails.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableScheduling
@Import({ MicrometerTaskTestApplication.Inventory.class, MicrometerTaskTestApplication.InventoryJob.class,
		MicrometerTaskTestApplication.AuditJob.class })
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

	/** What a run saw of Micrometer's trace: its current span and the log correlation MDC. */
	record SeenRun(String traceId, String spanId, String mdcTraceId) {
	}

	static class AuditJob {

		final List<SeenRun> seen = new CopyOnWriteArrayList<>();

		private final Tracer tracer;

		AuditJob(Tracer tracer) {
			this.tracer = tracer;
		}

		@Scheduled(fixedDelay = 300)
		void check() {
			Span span = this.tracer.currentSpan();
			this.seen.add(new SeenRun((span != null) ? span.context().traceId() : "none",
					(span != null) ? span.context().spanId() : "none", String.valueOf(MDC.get("traceId"))));
			throw new IllegalStateException("audit failed");
		}

	}

}
