package dev.sentryboot.autoconfigure.tracing;

import java.util.List;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import dev.sentryboot.autoconfigure.testsupport.SentryWireTests;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Web requests as transactions, as Sentry receives them, with every request sampled.
 */
@SpringBootTest(classes = TracingTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sentry.traces-sample-rate=1.0", "management.endpoints.web.exposure.include=health" })
class RequestTracingTests extends SentryWireTests {

	@Autowired
	SentrySdk sdk;

	@Test
	void requestIsTransactionNamedAfterItsRouteWithStatusRequestAndQuerySpans() {
		assertThat(http().status("/api/orders/1234?expand=items")).isEqualTo(200);
		JsonNode transaction = sentry.awaitTransactions(1, WAIT).get(0);
		assertThat(transaction.path("transaction").asString()).isEqualTo("GET /api/orders/{id}");
		assertThat(transaction.path("transaction_info").path("source").asString()).isEqualTo("route");
		JsonNode trace = transaction.path("contexts").path("trace");
		assertThat(trace.path("op").asString()).isEqualTo("http.server");
		assertThat(trace.path("status").asString()).isEqualTo("ok");
		assertThat(trace.path("data").path("http.response.status_code").asInt()).isEqualTo(200);
		assertThat(trace.path("parent_span_id").isMissingNode() || trace.path("parent_span_id").isNull()).isTrue();
		JsonNode request = transaction.path("request");
		assertThat(request.path("method").asString()).isEqualTo("GET");
		assertThat(request.path("url").asString()).isEqualTo("http://127.0.0.1:" + this.port + "/api/orders/1234");
		assertThat(request.path("query_string").asString()).isEqualTo("expand=items");
		List<JsonNode> queries = SentryTestServer.spans(transaction, "db.sql.query");
		assertThat(queries).extracting((span) -> span.path("description").asString())
			.containsExactly(TracingTestApplication.ORDER_SQL);
		JsonNode query = queries.get(0);
		assertThat(query.path("trace_id").asString()).isEqualTo(trace.path("trace_id").asString());
		assertThat(query.path("parent_span_id").asString()).isEqualTo(trace.path("span_id").asString());
	}

	@Test
	void errorOfTracedRequestCarriesTheTransactionsTrace() {
		assertThat(http().status("/api/orders/7/fail")).isEqualTo(500);
		JsonNode event = sentry.awaitEvents(1, WAIT).get(0);
		JsonNode transaction = sentry.awaitTransactions(1, WAIT).get(0);
		JsonNode trace = transaction.path("contexts").path("trace");
		assertThat(transaction.path("transaction").asString()).isEqualTo("GET /api/orders/{id}/fail");
		assertThat(trace.path("status").asString()).isEqualTo("internal_error");
		assertThat(trace.path("data").path("http.response.status_code").asInt()).isEqualTo(500);
		JsonNode eventTrace = event.path("contexts").path("trace");
		assertThat(eventTrace.path("trace_id").asString()).isEqualTo(trace.path("trace_id").asString());
		assertThat(eventTrace.path("span_id").asString()).isEqualTo(trace.path("span_id").asString());
		assertThat(event.path("transaction").asString()).isEqualTo("GET /api/orders/{id}/fail");
	}

	@Test
	void notFoundRequestsEndNotFoundWithoutTheirRawPath() {
		assertThat(http().status("/api/gone")).isEqualTo(404);
		assertThat(http().status("/no/such/page/123")).isEqualTo(404);
		List<JsonNode> transactions = sentry.awaitTransactions(2, WAIT);
		assertThat(transactions).extracting((t) -> t.path("contexts").path("trace").path("status").asString())
			.containsOnly("not_found");
		assertThat(transactions).extracting((t) -> t.path("transaction").asString())
			.containsExactlyInAnyOrder("GET /api/gone", "GET /**");
	}

	@Test
	void asyncRequestEndsWhenItsAsyncDispatchEnds() {
		assertThat(http().status("/api/slow/9")).isEqualTo(200);
		JsonNode transaction = sentry.awaitTransactions(1, WAIT).get(0);
		assertThat(transaction.path("transaction").asString()).isEqualTo("GET /api/slow/{id}");
		assertThat(transaction.path("contexts").path("trace").path("status").asString()).isEqualTo("ok");
		this.sdk.flush();
		assertThat(sentry.transactions()).hasSize(1);
	}

	@Test
	void eachRequestHasATraceOfItsOwn() {
		http().status("/api/orders/1");
		http().status("/api/orders/2");
		List<JsonNode> transactions = sentry.awaitTransactions(2, WAIT);
		assertThat(transactions).extracting((t) -> t.path("contexts").path("trace").path("trace_id").asString())
			.doesNotHaveDuplicates();
	}

	@Test
	void ignoredPathsAreNeverTraced() {
		assertThat(http().status("/actuator/health")).isEqualTo(200);
		http().status("/favicon.ico");
		http().status("/css/site.css");
		http().status("/assets/app.js");
		assertThat(http().status("/api/orders/marker")).isEqualTo(200);
		sentry.awaitTransactions(1, WAIT);
		this.sdk.flush();
		assertThat(sentry.transactions()).extracting((t) -> t.path("transaction").asString())
			.containsExactly("GET /api/orders/{id}");
	}

}
