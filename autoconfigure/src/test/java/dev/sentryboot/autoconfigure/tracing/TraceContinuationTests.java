package dev.sentryboot.autoconfigure.tracing;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryWireTests;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incoming traces continued, their sampling decision honoured, in a service that samples nothing
 * on its own.
 */
@SpringBootTest(classes = TracingTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sentry.traces-sample-rate=0.0")
class TraceContinuationTests extends SentryWireTests {

	static final String TRACE_ID = "771a43a4192642f0b136d5159a501700";

	static final String SPAN_ID = "b0e6f15b45c36b12";

	@Autowired
	SentrySdk sdk;

	@Test
	void sampledSentryTraceIsContinuedEvenWhenTheLocalRateIsZero() {
		assertThat(http().status("/api/orders/1", "sentry-trace", TRACE_ID + "-" + SPAN_ID + "-1", "baggage",
				"sentry-trace_id=" + TRACE_ID + ",sentry-sample_rate=1,sentry-sampled=true,other-vendor=x"))
			.isEqualTo(200);
		JsonNode trace = sentry.awaitTransactions(1, WAIT).get(0).path("contexts").path("trace");
		assertThat(trace.path("trace_id").asString()).isEqualTo(TRACE_ID);
		assertThat(trace.path("parent_span_id").asString()).isEqualTo(SPAN_ID);
		assertThat(trace.path("span_id").asString()).isNotEqualTo(SPAN_ID).hasSize(16);
	}

	@Test
	void unsampledSentryTraceSendsNoTransactionButErrorsCarryTheTrace() {
		assertThat(http().status("/api/orders/2", "sentry-trace", TRACE_ID + "-" + SPAN_ID + "-0")).isEqualTo(200);
		assertThat(http().status("/api/orders/3/fail", "sentry-trace", TRACE_ID + "-" + SPAN_ID + "-0")).isEqualTo(500);
		JsonNode event = sentry.awaitEvents(1, WAIT).get(0);
		assertThat(event.path("contexts").path("trace").path("trace_id").asString()).isEqualTo(TRACE_ID);
		this.sdk.flush();
		assertThat(sentry.transactions()).isEmpty();
	}

	@Test
	void requestsWithoutTraceHeadersFollowTheLocalRate() {
		assertThat(http().status("/api/orders/4/fail")).isEqualTo(500);
		JsonNode event = sentry.awaitEvents(1, WAIT).get(0);
		assertThat(event.path("contexts").path("trace").path("trace_id").asString()).hasSize(32)
			.isNotEqualTo(TRACE_ID);
		this.sdk.flush();
		assertThat(sentry.transactions()).isEmpty();
	}

	@Test
	void sampledTraceparentIsContinued() {
		assertThat(http().status("/api/orders/5", "traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01"))
			.isEqualTo(200);
		JsonNode trace = sentry.awaitTransactions(1, WAIT).get(0).path("contexts").path("trace");
		assertThat(trace.path("trace_id").asString()).isEqualTo(TRACE_ID);
		assertThat(trace.path("parent_span_id").asString()).isEqualTo(SPAN_ID);
	}

	@Test
	void unsampledTraceparentSendsNothing() {
		assertThat(http().status("/api/orders/6", "traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-00"))
			.isEqualTo(200);
		assertThat(http().status("/api/orders/7/fail", "traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-00"))
			.isEqualTo(500);
		assertThat(sentry.awaitEvents(1, WAIT).get(0).path("contexts").path("trace").path("trace_id").asString())
			.isEqualTo(TRACE_ID);
		this.sdk.flush();
		assertThat(sentry.transactions()).isEmpty();
	}

	@Test
	void sentryTraceWinsOverTraceparent() {
		String otherTrace = "0af7651916cd43dd8448eb211c80319c";
		assertThat(http().status("/api/orders/8", "sentry-trace", TRACE_ID + "-" + SPAN_ID + "-1", "traceparent",
				"00-" + otherTrace + "-b7ad6b7169203331-01"))
			.isEqualTo(200);
		assertThat(sentry.awaitTransactions(1, WAIT).get(0).path("contexts").path("trace").path("trace_id")
			.asString()).isEqualTo(TRACE_ID);
	}

}
