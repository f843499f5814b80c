package dev.sentryboot.autoconfigure.tracing.micrometer;

import java.util.List;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryWireTests;
import dev.sentryboot.autoconfigure.tracing.micrometer.MicrometerTracingTestApplication.Probe;
import dev.sentryboot.autoconfigure.tracing.micrometer.MicrometerTracingTestApplication.Seen;
import dev.sentryboot.autoconfigure.tracing.micrometer.MicrometerTracingTestApplication.SeenTraces;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service whose Sentry samples nothing on its own while Micrometer samples everything: Sentry
 * keeps its own decision, errors still carry Micrometer's trace.
 */
@Tag("micrometer-tracing")
@SpringBootTest(classes = MicrometerTracingTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sentry.traces-sample-rate=0.0", "management.tracing.sampling.probability=1.0",
				"management.observations.annotations.enabled=true", "management.otlp.metrics.export.enabled=false" })
class MicrometerUnsampledTracingTests extends SentryWireTests {

	static final String TRACE_ID = "771a43a4192642f0b136d5159a501700";

	static final String SPAN_ID = "b0e6f15b45c36b12";

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
	void unsampledRequestSendsNoTransactionButItsErrorCarriesMicrometersTrace() {
		assertThat(http().status("/api/orders/3/fail")).isEqualTo(500);
		JsonNode event = sentry.awaitEvents(1, WAIT).get(0);
		Seen controller = this.seen.get("fail 3");
		JsonNode trace = event.path("contexts").path("trace");
		assertThat(trace.path("trace_id").asString()).isEqualTo(controller.traceId())
			.isEqualTo(controller.mdcTraceId());
		// No Sentry span to sit on: the event sits on Micrometer's span, which got the event's id.
		String spanId = trace.path("span_id").asString();
		assertThat(this.probe.spanIds(controller.traceId(), "SERVER")).containsExactly(spanId);
		assertThat(this.probe.attribute(controller.traceId(), spanId, "sentry.event_id"))
			.isEqualTo(event.path("event_id").asString());
		this.sdk.flush();
		assertThat(sentry.transactions()).isEmpty();
	}

	@Test
	void observationsOfAnUnsampledRequestRecordNothing() {
		assertThat(http().status("/api/orders/4?callee=http://127.0.0.1:" + this.port + "/api/headers")).isEqualTo(200);
		this.sdk.flush();
		assertThat(sentry.envelopes()).isEmpty();
	}

	@Test
	void callersSampledSentryTraceIsHonouredInMicrometersTrace() {
		// A caller traced by OpenTelemetry and Sentry sends both headers, with one trace id.
		assertThat(http().status("/api/orders/5/fail", "traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01",
				"sentry-trace", TRACE_ID + "-" + SPAN_ID + "-1", "baggage",
				"sentry-trace_id=" + TRACE_ID + ",sentry-sample_rate=1,sentry-sampled=true"))
			.isEqualTo(500);
		JsonNode transaction = sentry.awaitTransactions(1, WAIT).get(0);
		JsonNode trace = transaction.path("contexts").path("trace");
		assertThat(this.seen.get("fail 5").traceId()).isEqualTo(TRACE_ID);
		assertThat(trace.path("trace_id").asString()).isEqualTo(TRACE_ID);
		// Under Micrometer's server span, itself the child of the caller's span.
		List<String> server = this.probe.spanIds(TRACE_ID, "SERVER");
		assertThat(server).hasSize(1);
		assertThat(trace.path("parent_span_id").asString()).isEqualTo(server.get(0));
		assertThat(sentry.awaitEvents(1, WAIT).get(0).path("contexts").path("trace").path("trace_id").asString())
			.isEqualTo(TRACE_ID);
	}

	@Test
	void callersUnsampledSentryTraceIsHonouredEvenWhenMicrometerSamples() {
		assertThat(http().status("/api/orders/6/fail", "traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01",
				"sentry-trace", TRACE_ID + "-" + SPAN_ID + "-0")).isEqualTo(500);
		JsonNode event = sentry.awaitEvents(1, WAIT).get(0);
		assertThat(event.path("contexts").path("trace").path("trace_id").asString()).isEqualTo(TRACE_ID);
		this.sdk.flush();
		assertThat(sentry.transactions()).isEmpty();
	}

	@Test
	void sentryTraceOfAnotherTraceGivesItsDecisionButMicrometersTraceId() {
		// Only sentry-trace: OpenTelemetry starts a trace of its own, Sentry follows it.
		assertThat(http().status("/api/orders/7/fail", "sentry-trace", TRACE_ID + "-" + SPAN_ID + "-1")).isEqualTo(500);
		JsonNode transaction = sentry.awaitTransactions(1, WAIT).get(0);
		String micrometer = this.seen.get("fail 7").traceId();
		assertThat(micrometer).isNotEqualTo(TRACE_ID);
		assertThat(transaction.path("contexts").path("trace").path("trace_id").asString()).isEqualTo(micrometer);
	}

}
