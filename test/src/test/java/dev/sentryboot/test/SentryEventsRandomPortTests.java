package dev.sentryboot.test;

import dev.sentryboot.test.app.TestApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static dev.sentryboot.test.SentryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real HTTP: the client reads the response before the server has reported its error, and the
 * assertions wait for the server.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureSentryTest
class SentryEventsRandomPortTests {

	@LocalServerPort
	int port;

	@Autowired
	SentryEvents sentryEvents;

	RestClient http;

	@BeforeEach
	void client() {
		this.http = RestClient.builder().baseUrl("http://127.0.0.1:" + this.port).build();
	}

	@Test
	void reportsUnhandledExceptionOfRequest() {
		assertThat(status("/api/crash", "bob")).isEqualTo(500);

		assertThat(this.sentryEvents).singleElement()
			.hasExceptionOfType(ArithmeticException.class)
			.hasUser("bob")
			.hasTag("service", "shop")
			.hasTransaction("GET /api/crash")
			.hasRequest("GET", "/api/crash");
	}

	@Test
	void reportsFailureHandledInto500() {
		assertThat(status("/api/fail", "alice")).isEqualTo(500);

		assertThat(this.sentryEvents).hasSize(1)
			.first()
			.hasExceptionOfType(IllegalStateException.class)
			.hasTag("endpoint", "/api/fail")
			.hasUser("alice")
			.hasLastBreadcrumb("query", "SELECT name FROM customers WHERE id = ?");
	}

	@Test
	void waitsForTheServerToReportAfterTheClientHasTheResponse() {
		// The server goes on for 500 ms after the complete response, then reports.
		assertThat(status("/api/slow-failure", "alice")).isEqualTo(503);

		assertThat(this.sentryEvents).singleElement()
			.hasExceptionOfType(UnsupportedOperationException.class)
			.hasExceptionMessageContaining("after the response was sent");
	}

	@Test
	void reportsFailureOfAsyncRequest() {
		assertThat(status("/api/async-fail", "carol")).isEqualTo(500);

		assertThat(this.sentryEvents).singleElement()
			.hasExceptionOfType(IllegalStateException.class)
			.hasExceptionMessageContaining("Async checkout failed")
			.hasTransaction("GET /api/async-fail");
	}

	@Test
	void clientErrorsAreNotReported() {
		assertThat(status("/api/missing", "alice")).isEqualTo(404);

		assertThat(this.sentryEvents).isEmpty();
	}

	private int status(String path, String user) {
		return this.http.get()
			.uri(path)
			.header("X-User", user)
			.exchange((request, response) -> {
				response.getBody().readAllBytes();
				return response.getStatusCode().value();
			});
	}

}
