package dev.sentryboot.sample;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.sentryboot.sample.SampleHttp.ALICE;
import static dev.sentryboot.sample.SampleHttp.Events.exceptionType;
import static dev.sentryboot.sample.SampleHttp.Events.exceptionTypes;
import static dev.sentryboot.sample.SampleHttp.Events.tag;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the starter reports for the sample app's failures, read back from the local event store
 * ({@code sentry.local.enabled} in the default dev profile) over {@code /actuator/sentry}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sentry.dsn=")
class SentryCaptureTests {

	@LocalServerPort
	int port;

	@Autowired
	BuildProperties build;

	SampleHttp http;

	@BeforeEach
	void clearStore() {
		this.http = new SampleHttp(this.port);
		this.http.clearStoredEvents();
	}

	@Test
	void capturesUnhandledExceptionAs500() {
		assertThat(this.http.get("/sentry-test").status()).isEqualTo(500);

		JsonNode event = this.http.awaitStoredEvents(1).get(0);
		assertThat(exceptionType(event)).isEqualTo("java.lang.ArithmeticException");
		assertThat(tag(event, "service")).isEqualTo("orders");
	}

	@Test
	void eventsCarryReleaseFromBuildInfo() {
		this.http.get("/sentry-test");

		JsonNode event = this.http.awaitStoredEvents(1).get(0);
		assertThat(event.path("release").asString())
			.isEqualTo(this.build.getArtifact() + "@" + this.build.getVersion());
	}

	@Test
	void capturesTagsAndContextSetThroughStaticApi() {
		assertThat(this.http.get("/api/fail").status()).isEqualTo(500);

		JsonNode event = this.http.awaitStoredEvents(1).get(0);
		assertThat(exceptionType(event)).isEqualTo("java.lang.IllegalStateException");
		assertThat(tag(event, "feature")).isEqualTo("checkout");
		assertThat(tag(event, "service")).isEqualTo("orders");
		assertThat(event.path("contexts").path("order").path("id").asInt()).isEqualTo(42);
	}

	@Test
	void scopeChangesStayWithTheirRequest() {
		this.http.get("/api/fail");
		this.http.get("/sentry-test");

		JsonNode later = this.http.awaitStoredEvents(2)
			.stream()
			.filter((event) -> exceptionType(event).equals("java.lang.ArithmeticException"))
			.findFirst()
			.orElseThrow();
		assertThat(tag(later, "feature")).isNull();
		assertThat(later.path("contexts").has("order")).isFalse();
	}

	@Test
	void capturesHandledExceptionTurnedInto500ByControllerAdvice() {
		SampleHttp.Response response = this.http.get("/api/orders/3/invoice", ALICE);
		assertThat(response.status()).isEqualTo(500);
		assertThat(response.headers().getContentType()).hasToString("application/problem+json");
		assertThat(response.json().path("title").asString()).isEqualTo("Invoice unavailable");
		assertThat(response.json().path("orderId").asLong()).isEqualTo(3);

		JsonNode event = this.http.awaitStoredEvents(1).get(0);
		assertThat(exceptionType(event)).isEqualTo("dev.sentryboot.sample.orders.InvoiceRenderingException");
		assertThat(exceptionTypes(event)).contains("org.springframework.dao.EmptyResultDataAccessException");
		// The queries that ran before the failure, recorded by the DataSource proxy: the tax
		// rate lookup that found nothing is the last one.
		List<String> queries = new ArrayList<>();
		event.path("breadcrumbs").forEach((crumb) -> {
			if ("query".equals(crumb.path("category").asString())) {
				queries.add(crumb.path("message").asString());
			}
		});
		assertThat(queries).isNotEmpty();
		assertThat(queries.get(queries.size() - 1)).isEqualTo("SELECT rate FROM tax_rates WHERE country = ?");
	}

	@Test
	void doesNotCaptureClientErrors() {
		assertThat(this.http.get("/api/orders/999", ALICE).status()).isEqualTo(404);
		assertThat(this.http.post("/api/orders", ALICE, "{\"product\":\"\",\"quantity\":-1}").status())
			.isEqualTo(400);
		assertThat(this.http.get("/api/orders").status()).isEqualTo(401);
		// A captured request after the client errors: once it is stored, anything the client
		// errors had produced would be stored too.
		assertThat(this.http.get("/sentry-test").status()).isEqualTo(500);

		List<JsonNode> events = this.http.awaitStoredEvents(1);
		assertThat(exceptionType(events.get(0))).isEqualTo("java.lang.ArithmeticException");
	}

	@Test
	void eventOfLoggedInUserCarriesUserButNoCredentials() {
		assertThat(this.http.get("/api/orders/3/invoice", ALICE).status()).isEqualTo(500);

		JsonNode event = this.http.awaitStoredEvents(1).get(0);
		assertThat(event.path("user").path("username").asString()).isEqualTo("alice");
		JsonNode request = event.path("request");
		assertThat(request.path("url").asString()).endsWith("/api/orders/3/invoice");
		JsonNode headers = request.path("headers");
		assertThat(headers.propertyNames()).as("request.headers").isNotEmpty();
		assertThat(headers.propertyNames()).noneMatch("Authorization"::equalsIgnoreCase);
		String basicCredentials = Base64.getEncoder().encodeToString("alice:alice-password".getBytes());
		assertThat(event.toString()).doesNotContain(basicCredentials).doesNotContain("alice-password");
	}

	@Test
	void capturesUncaughtExceptionOfBackgroundThread() {
		assertThat(this.http.post("/api/reports/nightly", ALICE, "").status()).isEqualTo(202);

		JsonNode event = this.http.awaitStoredEvents(1).get(0);
		assertThat(exceptionType(event)).isEqualTo("java.lang.IllegalStateException");
		JsonNode values = event.path("exception").path("values");
		assertThat(values.get(values.size() - 1).path("mechanism").path("type").asString())
			.isEqualTo("UncaughtExceptionHandler");
		assertThat(event.has("request")).isFalse();
	}

	@Test
	void environmentIsTheDefaultDevProfile() {
		this.http.get("/sentry-test");

		assertThat(this.http.awaitStoredEvents(1).get(0).path("environment").asString()).isEqualTo("dev");
	}

}
