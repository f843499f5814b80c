package dev.sentryboot.autoconfigure.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import dev.sentryboot.autoconfigure.testsupport.SentryWireTests;
import dev.sentryboot.autoconfigure.testsupport.TestHttp;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What reaches Sentry, decoded from the envelopes a real HTTP server receives, for requests that
 * fail in every way a Spring MVC application can. Personal data is off (the default).
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sentry.tags.service=orders", "sentry.tags.region=eu", "sentry.release=orders@1.0.0",
				"sentry.ignore-errors=read timed out", "sentry.max-queue-size=1000",
				"sentry.ignored-exceptions=dev.sentryboot.autoconfigure.web.WebTestApplication$IgnoredBase" })
class SentryRequestFilterTests extends SentryWireTests {

	static final String ALICE = "Basic " + java.util.Base64.getEncoder().encodeToString("alice:alice-password".getBytes());

	@Test
	void capturesUncaughtControllerExceptionWithRequestContext() {
		assertThat(http().status("/boom?q=1", "X-Custom", "kept")).isEqualTo(500);
		JsonNode event = sentry.awaitEvents(1, WAIT).get(0);
		JsonNode exception = mainException(event);
		assertThat(exception.path("type").asString()).isEqualTo("IllegalStateException");
		assertThat(exception.path("module").asString()).isEqualTo("java.lang");
		assertThat(exception.path("value").asString()).isEqualTo("boom");
		assertThat(exception.path("mechanism").path("type").asString()).isEqualTo("spring.mvc");
		assertThat(exception.path("mechanism").path("handled").asBoolean()).isFalse();
		assertThat(event.path("level").asString()).isEqualTo("error");
		assertThat(event.path("transaction").asString()).isEqualTo("GET /boom");
		JsonNode request = event.path("request");
		assertThat(request.path("method").asString()).isEqualTo("GET");
		assertThat(request.path("url").asString()).isEqualTo("http://127.0.0.1:" + this.port + "/boom");
		assertThat(request.path("query_string").asString()).isEqualTo("q=1");
		assertThat(request.path("headers").path("X-Custom").asString()).isEqualTo("kept");
		assertThat(event.path("tags").path("service").asString()).isEqualTo("orders");
		assertThat(event.path("tags").path("region").asString()).isEqualTo("eu");
		assertThat(event.path("environment").asString()).isEqualTo("production");
		assertThat(event.path("release").asString()).isEqualTo("orders@1.0.0");
		assertThat(event.path("tags").path("processed-by").asString()).isEqualTo("event-processor-bean");
		assertThat(event.path("tags").path("before-send").asString()).isEqualTo("callback-bean");
		assertThat(breadcrumbMessages(event)).isEmpty();
		assertThat(breadcrumbCategories(event)).contains("http");
	}

	@Test
	void usesRoutePatternNotRawUrlAsTransaction() {
		assertThat(http().status("/orders/1234")).isEqualTo(500);
		assertThat(sentry.awaitEvents(1, WAIT).get(0).path("transaction").asString()).isEqualTo("GET /orders/{id}");
	}

	@Test
	void stripsCredentialHeadersAndSendsNoPersonalData() {
		http().status("/boom", "Authorization", "Bearer secret-token", "Proxy-Authorization", "Basic c2VjcmV0",
				"Cookie", "JSESSIONID=abc; theme=dark", "X-Api-Key", "k-123", "X-CSRF-Token", "csrf-1",
				"X-XSRF-TOKEN", "xsrf-1", "X-Forwarded-For", "203.0.113.9", "X-Custom", "kept");
		JsonNode event = sentry.awaitEvents(1, WAIT).get(0);
		JsonNode headers = event.path("request").path("headers");
		List<String> names = new ArrayList<>();
		headers.propertyNames().forEach((name) -> names.add(name.toLowerCase()));
		assertThat(names).contains("x-custom")
			.doesNotContain("authorization", "proxy-authorization", "cookie", "x-api-key", "x-csrf-token",
					"x-xsrf-token", "x-forwarded-for");
		assertThat(event.path("request").has("cookies")).isFalse();
		assertThat(event.path("request").has("env")).isFalse();
		assertThat(event.path("user").path("ip_address").isMissingNode()).isTrue();
		assertThat(event.path("user").path("username").isMissingNode()).isTrue();
		assertThat(event.toString()).doesNotContain("secret-token", "c2VjcmV0", "JSESSIONID", "k-123", "csrf-1",
				"203.0.113.9");
	}

	@Test
	void capturesExceptionThatAnExceptionHandlerTurnedInto500() {
		assertThat(http().status("/handled")).isEqualTo(500);
		JsonNode exception = mainException(sentry.awaitEvents(1, WAIT).get(0));
		assertThat(exception.path("type").asString()).isEqualTo("WebTestApplication$HandledException");
		assertThat(exception.path("value").asString()).isEqualTo("handled into a 500");
	}

	@Test
	void capturesExceptionThrownByAnotherFilter() {
		assertThat(http().status("/filter-boom")).isEqualTo(500);
		JsonNode exception = mainException(sentry.awaitEvents(1, WAIT).get(0));
		assertThat(exception.path("value").asString()).isEqualTo("filter failed");
		assertThat(exception.path("mechanism").path("type").asString()).isEqualTo("spring.mvc");
	}

	@Test
	void capturesResponseStatusExceptionWith5xx() {
		assertThat(http().status("/unavailable")).isEqualTo(503);
		assertThat(mainException(sentry.awaitEvents(1, WAIT).get(0)).path("type").asString())
			.isEqualTo("ResponseStatusException");
	}

	@Test
	void doesNotCapture4xx() {
		assertThat(http().status("/missing")).isEqualTo(404);
		assertThat(http().status("/bad-request")).isEqualTo(400);
		assertThat(http().status("/number?value=abc")).isEqualTo(400);
		assertThat(http().status("/denied")).isEqualTo(401);
		assertThat(http().status("/denied", "Authorization", ALICE)).isEqualTo(403);
		assertThat(http().status("/no-such-path")).isEqualTo(404);
		assertThat(http().status("/async-missing")).isEqualTo(404);
		assertOnlyMarkerArrives();
	}

	@Test
	void capturesFailedCallable() {
		assertThat(http().status("/callable")).isEqualTo(500);
		assertThat(mainException(sentry.awaitEvents(1, WAIT).get(0)).path("value").asString())
			.isEqualTo("callable failed");
	}

	@Test
	void capturesFailedDeferredResult() {
		assertThat(http().status("/deferred")).isEqualTo(500);
		assertThat(mainException(sentry.awaitEvents(1, WAIT).get(0)).path("value").asString())
			.isEqualTo("deferred failed");
	}

	@Test
	void capturesFailedCompletableFuture() {
		assertThat(http().status("/future")).isEqualTo(500);
		JsonNode event = sentry.awaitEvents(1, WAIT).get(0);
		assertThat(event.path("exception").toString()).contains("future failed");
		assertThat(event.path("request").path("url").asString()).endsWith("/future");
	}

	@Test
	void capturesEachExceptionOnce() {
		http().status("/boom");
		http().status("/handled");
		assertOnlyEvents(2);
	}

	@Test
	void dropsErrorsMatchingIgnoreErrorsInAnyCause() {
		assertThat(http().status("/ignored")).isEqualTo(500);
		assertOnlyMarkerArrives();
	}

	@Test
	void dropsSubclassesOfIgnoredExceptions() {
		assertThat(http().status("/ignored-type")).isEqualTo(500);
		assertOnlyMarkerArrives();
	}

	@Test
	void keepsTagsUserAndBreadcrumbsOfConcurrentRequestsApart() throws Exception {
		int requests = 200;
		ExecutorService pool = Executors.newFixedThreadPool(32);
		try {
			List<Future<Integer>> statuses = new ArrayList<>();
			for (int i = 0; i < requests; i++) {
				String id = "r" + i;
				statuses.add(pool.submit(() -> http().status("/tagged?id=" + id)));
			}
			for (Future<Integer> status : statuses) {
				assertThat(status.get()).isEqualTo(500);
			}
		}
		finally {
			pool.shutdownNow();
		}
		List<JsonNode> events = awaitTaggedEvents(requests, Duration.ofSeconds(60));
		Set<String> seen = new HashSet<>();
		for (JsonNode event : events) {
			String id = event.path("tags").path("request-id").asString();
			assertThat(mainException(event).path("value").asString()).isEqualTo("failed for " + id);
			assertThat(event.path("user").path("id").asString()).isEqualTo(id);
			assertThat(breadcrumbMessages(event)).containsExactly("work for " + id);
			// The request's own breadcrumb, and only its own, comes before what the request did.
			assertThat(breadcrumbCategories(event)).startsWith("http");
			JsonNode http = breadcrumbs(event).get(0).path("data");
			assertThat(http.path("url").asString()).endsWith("/tagged");
			assertThat(http.path("method").asString()).isEqualTo("GET");
			seen.add(id);
		}
		assertThat(seen).hasSize(requests);
	}

	@Test
	void reportsNothingForApiErrorsWhenTurnedOff() {
		try (SentryTestServer own = new SentryTestServer()) {
			ConfigurableApplicationContext context = new SpringApplicationBuilder(WebTestApplication.class)
				.properties("sentry.dsn=" + own.dsn(), "server.port=0", "spring.main.banner-mode=off",
						"sentry.capture-api-errors=false")
				.run();
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			try {
				assertThat(new TestHttp(port).status("/boom")).isEqualTo(500);
				context.getBean(SentrySdk.class).getScopes().captureException(new IllegalStateException("marker"));
			}
			finally {
				context.close();
			}
			assertThat(own.events()).singleElement()
				.satisfies((event) -> assertThat(event.path("exception").toString()).contains("marker"));
		}
	}

	// Only this test's events: one delivered late by a context of an earlier test class must
	// neither count nor fail it.
	private static List<JsonNode> awaitTaggedEvents(int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		List<JsonNode> tagged = List.of();
		while (System.nanoTime() < deadline) {
			tagged = sentry.events().stream().filter((event) -> event.path("tags").has("request-id")).toList();
			if (tagged.stream().map((event) -> event.path("tags").path("request-id").asString()).distinct().count() >= count) {
				break;
			}
			Thread.sleep(20);
		}
		return tagged;
	}

	private void assertOnlyMarkerArrives() {
		assertThat(http().status("/boom")).isEqualTo(500);
		List<JsonNode> events = sentry.awaitEvents(1, WAIT);
		assertOnlyEvents(1);
		assertThat(mainException(events.get(0)).path("value").asString()).isEqualTo("boom");
	}

	// Capture runs before the response completes, so everything earlier has been queued by
	// now; a flush through a fresh marker proves nothing more is on its way.
	private void assertOnlyEvents(int count) {
		sentry.awaitEvents(count, WAIT);
		http().status("/ok");
		assertThat(sentry.events()).hasSize(count);
	}

	static JsonNode mainException(JsonNode event) {
		JsonNode values = event.path("exception").path("values");
		return values.get(values.size() - 1);
	}

	static List<String> breadcrumbMessages(JsonNode event) {
		List<String> messages = new ArrayList<>();
		for (JsonNode crumb : breadcrumbs(event)) {
			if (crumb.has("message")) {
				messages.add(crumb.path("message").asString());
			}
		}
		return messages;
	}

	static List<String> breadcrumbCategories(JsonNode event) {
		List<String> categories = new ArrayList<>();
		for (JsonNode crumb : breadcrumbs(event)) {
			categories.add(crumb.path("category").asString(crumb.path("type").asString()));
		}
		return categories;
	}

	private static JsonNode breadcrumbs(JsonNode event) {
		JsonNode crumbs = event.path("breadcrumbs");
		return crumbs.has("values") ? crumbs.path("values") : crumbs;
	}

}
