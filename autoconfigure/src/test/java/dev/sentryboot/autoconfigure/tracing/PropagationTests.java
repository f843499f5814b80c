package dev.sentryboot.autoconfigure.tracing;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import dev.sentryboot.autoconfigure.testsupport.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One trace across two services on random ports: the caller's HTTP clients (built from Spring
 * Boot's builders) start a span and send the trace headers, the called service continues the
 * trace, and the caller's sampling decision holds downstream.
 */
class PropagationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	static final SentryTestServer sentry = new SentryTestServer();

	/** Samples everything; sends trace headers only to "localhost" URLs. */
	static ConfigurableApplicationContext caller;

	/** Samples nothing. */
	static ConfigurableApplicationContext unsampledCaller;

	/** Samples everything it is not told otherwise about. */
	static ConfigurableApplicationContext called;

	@BeforeAll
	static void startServices() {
		called = start("sentry.traces-sample-rate=1.0");
		caller = start("sentry.traces-sample-rate=1.0", "sentry.trace-propagation-targets=localhost");
		unsampledCaller = start("sentry.traces-sample-rate=0.0");
	}

	@AfterAll
	static void stopServices() {
		for (ConfigurableApplicationContext context : List.of(caller, unsampledCaller, called)) {
			if (context != null) {
				context.close();
			}
		}
		sentry.stop();
	}

	@BeforeEach
	void emptySentry() {
		flushAll();
		sentry.reset();
	}

	@ParameterizedTest
	@ValueSource(strings = { "rest-client", "rest-template", "web-client" })
	void calledServiceContinuesTheCallersTrace(String client) {
		String target = "http://localhost:" + port(called) + "/api/orders/5?secret=1";
		assertThat(call(caller, target, client).statusCode()).isEqualTo(200);
		List<JsonNode> transactions = sentry.awaitTransactions(2, WAIT);
		JsonNode callerTransaction = transactionOf(transactions, caller);
		JsonNode calledTransaction = transactionOf(transactions, called);
		JsonNode callerTrace = callerTransaction.path("contexts").path("trace");
		JsonNode calledTrace = calledTransaction.path("contexts").path("trace");
		assertThat(callerTransaction.path("transaction").asString()).isEqualTo("GET /api/call");
		assertThat(calledTransaction.path("transaction").asString()).isEqualTo("GET /api/orders/{id}");
		assertThat(calledTrace.path("trace_id").asString()).isEqualTo(callerTrace.path("trace_id").asString());
		JsonNode span = SentryTestServer.spans(callerTransaction, "http.client").get(0);
		assertThat(span.path("description").asString())
			.isEqualTo("GET http://localhost:" + port(called) + "/api/orders/5");
		assertThat(span.path("status").asString()).isEqualTo("ok");
		assertThat(span.path("data").path("http.response.status_code").asInt()).isEqualTo(200);
		assertThat(span.path("parent_span_id").asString()).isEqualTo(callerTrace.path("span_id").asString());
		assertThat(calledTrace.path("parent_span_id").asString()).isEqualTo(span.path("span_id").asString());
	}

	@Test
	void unsampledCallerMeansNothingIsSentDownstream() {
		String target = "http://localhost:" + port(called) + "/api/orders/6";
		assertThat(call(unsampledCaller, target, "rest-client").statusCode()).isEqualTo(200);
		JsonNode headers = json(call(unsampledCaller, "http://localhost:" + port(called) + "/api/headers",
				"rest-client").body());
		assertThat(headers.path("sentry-trace").asString()).matches("[0-9a-f]{32}-[0-9a-f]{16}-0");
		assertThat(headers.path("traceparent").asString()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
		flushAll();
		assertThat(sentry.transactions()).isEmpty();
	}

	@Test
	void callsToUrlsOutsideThePropagationTargetsGetNoTraceHeaders() {
		JsonNode excluded = json(
				call(caller, "http://127.0.0.1:" + port(called) + "/api/headers", "rest-client").body());
		assertThat(excluded.path("sentry-trace").asString()).isEqualTo("null");
		assertThat(excluded.path("baggage").asString()).isEqualTo("null");
		assertThat(excluded.path("traceparent").asString()).isEqualTo("null");
		JsonNode included = json(
				call(caller, "http://localhost:" + port(called) + "/api/headers", "rest-template").body());
		assertThat(included.path("sentry-trace").asString()).matches("[0-9a-f]{32}-[0-9a-f]{16}-1");
		assertThat(included.path("baggage").asString()).contains("sentry-trace_id=")
			.contains("sentry-sampled=true");
		assertThat(included.path("traceparent").asString()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
		// The excluded call still has its span in the caller's transaction.
		List<JsonNode> transactions = sentry.awaitTransactions(4, WAIT);
		assertThat(transactions.stream()
			.filter((transaction) -> transaction.path("transaction").asString().equals("GET /api/call"))
			.flatMap((transaction) -> SentryTestServer.spans(transaction, "http.client").stream())
			.map((span) -> span.path("description").asString()))
			.containsExactlyInAnyOrder("GET http://127.0.0.1:" + port(called) + "/api/headers",
					"GET http://localhost:" + port(called) + "/api/headers");
	}

	@Test
	void failedCallIsAnInternalErrorSpan() {
		assertThat(call(caller, "http://localhost:1/api/orders/1", "rest-client").statusCode()).isEqualTo(500);
		JsonNode transaction = sentry.awaitTransactions(1, WAIT).get(0);
		JsonNode span = SentryTestServer.spans(transaction, "http.client").get(0);
		assertThat(span.path("status").asString()).isEqualTo("internal_error");
		assertThat(span.path("description").asString()).isEqualTo("GET http://localhost:1/api/orders/1");
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(TracingTestApplication.class)
			.properties("server.port=0", "sentry.dsn=" + sentry.dsn(), "spring.main.banner-mode=off")
			.properties(properties)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static JsonNode transactionOf(List<JsonNode> transactions, ConfigurableApplicationContext service) {
		String origin = "http://127.0.0.1:" + port(service) + "/";
		return transactions.stream()
			.filter((transaction) -> transaction.path("request").path("url").asString().startsWith(origin)
					|| transaction.path("request").path("url").asString().startsWith(origin.replace("127.0.0.1", "localhost")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No transaction of " + origin + " in " + transactions));
	}

	private static HttpResponse<String> call(ConfigurableApplicationContext service, String url, String client) {
		return new TestHttp(port(service))
			.get("/api/call?client=" + client + "&url=" + URLEncoder.encode(url, StandardCharsets.UTF_8));
	}

	private static JsonNode json(String body) {
		return JsonMapper.builder().build().readTree(body);
	}

	private static void flushAll() {
		for (ConfigurableApplicationContext context : List.of(caller, unsampledCaller, called)) {
			context.getBean(SentrySdk.class).flush();
		}
	}

}
