package dev.sentryboot.sample;

import java.util.Base64;

import dev.sentryboot.sample.orders.InvoiceRenderingException;
import dev.sentryboot.test.AutoConfigureSentryTest;
import dev.sentryboot.test.SentryEvents;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static dev.sentryboot.test.SentryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * What the sample app reports, asserted the way an application's own tests would: events stay
 * in memory even though a DSN is configured, and each test sees only its own.
 * <p>
 * {@code @DirtiesContext}: the first application context of the JVM owns Sentry's static API,
 * through which uncaught exceptions of background threads are reported; closing this one after
 * the class lets {@link SentryCaptureTests} own it whatever the order the classes run in.
 */
@SpringBootTest(properties = "sentry.dsn=http://public@127.0.0.1:9/1")
@AutoConfigureMockMvc
@AutoConfigureSentryTest
@DirtiesContext
class ReportedFailuresMockMvcTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	SentryEvents sentryEvents;

	@Test
	void failingCheckoutIsReportedWithTagsAndUser() {
		// Unhandled: MockMvc hands the exception to the test as the container would log it.
		assertThatExceptionOfType(ServletException.class)
			.isThrownBy(() -> this.mvc.perform(as("bob", get("/api/fail"))));

		assertThat(this.sentryEvents).hasSize(1)
			.first()
			.hasExceptionOfType(IllegalStateException.class)
			.hasExceptionMessageContaining("PENDING")
			.hasTag("feature", "checkout")
			.hasTag("service", "orders")
			.hasUser("bob")
			.hasTransaction("GET /api/fail");
	}

	@Test
	void invoiceFailureIsReportedWithTheQueriesBeforeIt() throws Exception {
		this.mvc.perform(as("alice", get("/api/orders/3/invoice"))).andExpect(status().isInternalServerError());

		assertThat(this.sentryEvents).singleElement()
			.hasExceptionOfType(InvoiceRenderingException.class)
			.hasCauseOfType(EmptyResultDataAccessException.class)
			.hasUser("alice")
			.hasTransaction("GET /api/orders/{id}/invoice")
			.hasBreadcrumb("query", "FROM orders")
			.hasLastBreadcrumb("query", "SELECT rate FROM tax_rates WHERE country = ?");
	}

	@Test
	void bugReachingTheContainerIsReportedWithoutUser() {
		assertThatExceptionOfType(ServletException.class).isThrownBy(() -> this.mvc.perform(get("/sentry-test")));

		assertThat(this.sentryEvents).singleElement().hasExceptionOfType(ArithmeticException.class).hasNoUser();
	}

	@Test
	void clientErrorsAreNotReported() throws Exception {
		this.mvc.perform(as("alice", get("/api/orders/999"))).andExpect(status().isNotFound());
		this.mvc
			.perform(as("alice", post("/api/orders")).contentType(MediaType.APPLICATION_JSON)
				.content("{\"product\":\"\",\"quantity\":-1}"))
			.andExpect(status().isBadRequest());
		this.mvc.perform(get("/api/orders")).andExpect(status().isUnauthorized());

		assertThat(this.sentryEvents).isEmpty();
	}

	private static MockHttpServletRequestBuilder as(String user, MockHttpServletRequestBuilder request) {
		String credentials = user + ":" + user + "-password";
		return request.header(HttpHeaders.AUTHORIZATION,
				"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes()));
	}

}
