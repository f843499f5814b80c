package dev.sentryboot.sample;

import dev.sentryboot.sample.orders.InvoiceRenderingException;
import dev.sentryboot.test.AutoConfigureSentryTest;
import dev.sentryboot.test.SentryEvents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static dev.sentryboot.sample.SampleHttp.ALICE;
import static dev.sentryboot.sample.SampleHttp.BOB;
import static dev.sentryboot.test.SentryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same over real HTTP on a random port: the client has the response before the server has
 * reported, and the assertions wait for the server. {@code @DirtiesContext} for the reason given
 * in {@link ReportedFailuresMockMvcTests}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sentry.dsn=http://public@127.0.0.1:9/1")
@AutoConfigureSentryTest
@DirtiesContext
class ReportedFailuresServerTests {

	@LocalServerPort
	int port;

	@Autowired
	SentryEvents sentryEvents;

	SampleHttp http;

	@BeforeEach
	void client() {
		this.http = new SampleHttp(this.port);
	}

	@Test
	void failingCheckoutIsReportedWithTagsAndUser() {
		assertThat(this.http.get("/api/fail", BOB).status()).isEqualTo(500);

		assertThat(this.sentryEvents).hasSize(1)
			.first()
			.hasExceptionOfType(IllegalStateException.class)
			.hasTag("feature", "checkout")
			.hasUser("bob")
			.hasRequest("GET", "/api/fail");
	}

	@Test
	void invoiceFailureIsReportedWithTheQueriesBeforeIt() {
		assertThat(this.http.get("/api/orders/3/invoice", ALICE).status()).isEqualTo(500);

		assertThat(this.sentryEvents).singleElement()
			.hasExceptionOfType(InvoiceRenderingException.class)
			.hasUser("alice")
			.hasLastBreadcrumb("query", "SELECT rate FROM tax_rates WHERE country = ?");
	}

	@Test
	void bugReachingTheContainerIsReported() {
		assertThat(this.http.get("/sentry-test").status()).isEqualTo(500);

		assertThat(this.sentryEvents).singleElement()
			.hasExceptionOfType(ArithmeticException.class)
			.hasTag("service", "orders")
			.hasTransaction("GET /sentry-test");
	}

	@Test
	void clientErrorsAreNotReported() {
		assertThat(this.http.get("/api/orders/999", ALICE).status()).isEqualTo(404);
		assertThat(this.http.get("/api/orders").status()).isEqualTo(401);

		assertThat(this.sentryEvents).isEmpty();
	}

}
