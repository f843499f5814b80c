package dev.sentryboot.autoconfigure.tracing.micrometer;

import java.time.Duration;
import java.util.List;

import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import dev.sentryboot.autoconfigure.testsupport.SentryWireTests;
import dev.sentryboot.autoconfigure.tracing.micrometer.MicrometerTaskTestApplication.AuditJob;
import dev.sentryboot.autoconfigure.tracing.micrometer.MicrometerTaskTestApplication.SeenRun;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A scheduled run is one Sentry transaction (the task instrumentation's) in Micrometer's trace of
 * the run, with what it observes as child spans, and not a span of itself again. Closed after the
 * class: its ticks would reach the other test classes' Sentry.
 */
@Tag("micrometer-tracing")
@DirtiesContext
@SpringBootTest(classes = MicrometerTaskTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sentry.traces-sample-rate=1.0", "management.tracing.sampling.probability=1.0",
				"management.observations.annotations.enabled=true", "management.otlp.metrics.export.enabled=false" })
class MicrometerScheduledTaskTests extends SentryWireTests {

	@Autowired
	AuditJob auditJob;

	@Test
	void scheduledRunIsOneTransactionWithItsObservationsAsSpans() {
		List<JsonNode> runs = await().atMost(Duration.ofSeconds(20))
			.until(() -> sentry.transactions()
				.stream()
				.filter((tx) -> "InventoryJob.tick".equals(tx.path("transaction").asString()))
				.toList(), (found) -> !found.isEmpty());
		JsonNode run = runs.get(0);
		JsonNode trace = run.path("contexts").path("trace");
		assertThat(trace.path("op").asString()).isEqualTo("task.scheduled");
		List<JsonNode> sync = SentryTestServer.spans(run, "inventory.sync");
		assertThat(sync).hasSize(1);
		assertThat(sync.get(0).path("description").asString()).isEqualTo("sync inventory");
		assertThat(sync.get(0).path("parent_span_id").asString()).isEqualTo(trace.path("span_id").asString());
		// Spring's observation of the run is the transaction: no span of it inside (the task
		// handler starts the transaction after this bridge's handler saw the observation start,
		// so the bridge's skip of ScheduledTaskObservationContext guards an order, not this run).
		assertThat(run.path("spans")).extracting((span) -> span.path("op").asString())
			.containsExactly("inventory.sync");
	}

	@Test
	void scheduledRunTransactionAndErrorCarryTheTraceIdOfMicrometersSpanOfTheRun() {
		JsonNode run = await().atMost(Duration.ofSeconds(20))
			.until(() -> sentry.transactions()
				.stream()
				.filter((tx) -> "AuditJob.check".equals(tx.path("transaction").asString()))
				.findFirst(), (found) -> found.isPresent())
			.get();
		JsonNode trace = run.path("contexts").path("trace");
		assertThat(trace.path("op").asString()).isEqualTo("task.scheduled");
		assertThat(trace.path("status").asString()).isEqualTo("internal_error");
		String traceId = trace.path("trace_id").asString();
		// The run whose Micrometer span is the transaction's parent: its trace id is the one in
		// the run's log lines (a trace of Sentry's own would match no run).
		SeenRun seen = this.auditJob.seen.stream()
			.filter((candidate) -> candidate.traceId().equals(traceId))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no run saw trace " + traceId + " in " + this.auditJob.seen));
		assertThat(seen.mdcTraceId()).isEqualTo(traceId);
		assertThat(trace.path("parent_span_id").asString()).isEqualTo(seen.spanId());
		assertThat(trace.path("span_id").asString()).isNotEqualTo(seen.spanId());
		// The exception of the run, reported in the same trace, on the transaction.
		JsonNode error = await().atMost(WAIT)
			.until(() -> sentry.events()
				.stream()
				.filter((event) -> traceId.equals(event.path("contexts").path("trace").path("trace_id").asString()))
				.findFirst(), (found) -> found.isPresent())
			.get();
		assertThat(error.path("exception").path("values").get(0).path("value").asString()).isEqualTo("audit failed");
		assertThat(error.path("exception").path("values").get(0).path("mechanism").path("type").asString())
			.isEqualTo("spring.scheduled");
		assertThat(error.path("contexts").path("trace").path("span_id").asString())
			.isEqualTo(trace.path("span_id").asString());
	}

}
