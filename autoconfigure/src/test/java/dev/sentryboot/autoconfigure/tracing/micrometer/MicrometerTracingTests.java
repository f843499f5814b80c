package dev.sentryboot.autoconfigure.tracing.micrometer;

import java.net.http.HttpResponse;
import java.util.List;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import dev.sentryboot.autoconfigure.testsupport.SentryWireTests;
import dev.sentryboot.autoconfigure.tracing.micrometer.MicrometerTracingTestApplication.Probe;
import dev.sentryboot.autoconfigure.tracing.micrometer.MicrometerTracingTestApplication.Seen;
import dev.sentryboot.autoconfigure.tracing.micrometer.MicrometerTracingTestApplication.SeenTraces;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service traced by Micrometer Tracing (OpenTelemetry bridge) and Sentry, every request
 * sampled by both: one trace id everywhere, observations as Sentry spans, nothing twice.
 */
@Tag("micrometer-tracing")
@SpringBootTest(classes = MicrometerTracingTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sentry.traces-sample-rate=1.0", "management.tracing.sampling.probability=1.0",
				"management.observations.annotations.enabled=true", "management.otlp.metrics.export.enabled=false" })
class MicrometerTracingTests extends SentryWireTests {

	static final String EVENT_ID = "sentry.event_id";

	@Autowired
	SentrySdk sdk;

	@Autowired
	Probe probe;

	@Autowired
	SeenTraces seen;

	@BeforeEach
	void clearExportedSpans() {
		this.probe.clear();
	}

	@Test
	void errorTransactionLogsAndMicrometerShareOneTraceId() {
		assertThat(http().status("/api/orders/7/fail")).isEqualTo(500);
		JsonNode event = sentry.awaitEvents(1, WAIT).get(0);
		JsonNode transaction = sentry.awaitTransactions(1, WAIT).get(0);
		Seen controller = this.seen.get("fail 7");
		assertThat(controller.traceId()).hasSize(32);
		assertThat(controller.mdcTraceId()).isEqualTo(controller.traceId());
		assertThat(event.path("contexts").path("trace").path("trace_id").asString()).isEqualTo(controller.traceId());
		JsonNode trace = transaction.path("contexts").path("trace");
		assertThat(trace.path("trace_id").asString()).isEqualTo(controller.traceId());
		// Inside the transaction, the event sits on a Sentry span of it (the SDK puts it on the
		// innermost span that saw the exception: here the observation of Spring Security's chain).
		List<String> sentrySpans = new java.util.ArrayList<>();
		sentrySpans.add(trace.path("span_id").asString());
		transaction.path("spans").forEach((span) -> sentrySpans.add(span.path("span_id").asString()));
		assertThat(sentrySpans).contains(event.path("contexts").path("trace").path("span_id").asString());
		// The transaction hangs under Micrometer's http.server span, which got the event's id.
		List<String> server = this.probe.spanIds(controller.traceId(), "SERVER");
		assertThat(server).hasSize(1);
		assertThat(trace.path("parent_span_id").asString()).isEqualTo(server.get(0));
		assertThat(this.probe.attribute(controller.traceId(), server.get(0), EVENT_ID))
			.isEqualTo(event.path("event_id").asString());
	}

	@Test
	void observationsAreChildSpansOfTheTransactionWithNothingRecordedTwice() {
		String callee = "http://127.0.0.1:" + this.port + "/api/headers";
		HttpResponse<String> response = http().get("/api/orders/8?callee=" + callee);
		assertThat(response.statusCode()).isEqualTo(200);
		List<JsonNode> transactions = sentry.awaitTransactions(2, WAIT);
		JsonNode transaction = named(transactions, "GET /api/orders/{id}");
		JsonNode called = named(transactions, "GET /api/headers");
		String traceId = this.seen.get("order 8").traceId();
		JsonNode trace = transaction.path("contexts").path("trace");
		assertThat(trace.path("trace_id").asString()).isEqualTo(traceId);
		assertThat(called.path("contexts").path("trace").path("trace_id").asString()).isEqualTo(traceId);
		// The controller runs inside Spring Security's observation of the secured request: its
		// span is the parent of what the controller observes.
		JsonNode secured = single(transaction, "spring.security.http.secured.requests");
		assertThat(secured.path("parent_span_id").asString()).isEqualTo(trace.path("span_id").asString());
		String root = secured.path("span_id").asString();

		JsonNode price = single(transaction, "orders.price");
		assertThat(price.path("description").asString()).isEqualTo("price order");
		assertThat(price.path("parent_span_id").asString()).isEqualTo(root);
		assertThat(price.path("status").asString()).isEqualTo("ok");
		assertThat(price.path("data").path("method").asString()).isEqualTo("price");
		assertThat(price.path("data").path("class").asString()).endsWith("PriceService");

		JsonNode reserve = single(transaction, "orders.reserve");
		assertThat(reserve.path("description").asString()).isEqualTo("reserve order 8");
		assertThat(reserve.path("parent_span_id").asString()).isEqualTo(root);
		assertThat(reserve.path("data").path("warehouse").asString()).isEqualTo("north");
		// The call made inside the observation is its child, recorded once, by Sentry's interceptor.
		JsonNode call = single(transaction, "http.client");
		assertThat(call.path("parent_span_id").asString()).isEqualTo(reserve.path("span_id").asString());
		assertThat(call.path("description").asString()).isEqualTo("GET " + callee);

		JsonNode failed = single(transaction, "orders.notify");
		assertThat(failed.path("status").asString()).isEqualTo("internal_error");

		// The server request is the transaction itself, the client call is the http.client span.
		assertThat(transaction.path("spans")).extracting((span) -> span.path("op").asString())
			.doesNotContain("http.server", "http.server.requests", "http.client.requests")
			.filteredOn((op) -> op.startsWith("http"))
			.containsExactly("http.client");

		// The called service got Micrometer's traceparent, naming the client span Tempo knows.
		JsonNode headers = JsonMapper.builder().build().readTree(response.body());
		String[] traceparent = headers.path("traceparent").asString().split("-");
		assertThat(traceparent[1]).isEqualTo(traceId);
		assertThat(this.probe.spanIds(traceId, "CLIENT")).contains(traceparent[2]);
		assertThat(headers.path("sentry-trace").asString()).startsWith(traceId + "-" + call.path("span_id").asString());
	}

	@Test
	void eventOutsideATransactionCarriesMicrometersCurrentSpan() {
		List<String> ids = this.probe.insideObservation("nightly.import",
				() -> this.sdk.getScopes().captureException(new IllegalStateException("import failed")));
		JsonNode event = sentry.awaitEvents(1, WAIT).get(0);
		JsonNode trace = event.path("contexts").path("trace");
		assertThat(trace.path("trace_id").asString()).isEqualTo(ids.get(0));
		assertThat(trace.path("span_id").asString()).isEqualTo(ids.get(1));
		assertThat(this.probe.attribute(ids.get(0), ids.get(1), EVENT_ID)).isEqualTo(event.path("event_id").asString());
		this.sdk.flush();
		assertThat(sentry.transactions()).isEmpty();
	}

	private static JsonNode named(List<JsonNode> transactions, String name) {
		return transactions.stream()
			.filter((transaction) -> name.equals(transaction.path("transaction").asString()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No transaction " + name + " in " + transactions));
	}

	private static JsonNode single(JsonNode transaction, String operation) {
		List<JsonNode> spans = SentryTestServer.spans(transaction, operation);
		assertThat(spans).as("spans %s of %s", operation, transaction.path("spans")).hasSize(1);
		return spans.get(0);
	}

}
