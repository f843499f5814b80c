package dev.sentryboot.test;

import java.time.Duration;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.local.LocalEventStore;
import dev.sentryboot.test.app.TestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static dev.sentryboot.test.SentryAssertions.assertThat;
import static dev.sentryboot.test.SentryAssertions.assertThatTransactions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest(classes = TestApplication.class)
@AutoConfigureMockMvc
@AutoConfigureSentryTest
class SentryEventsMockMvcTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	SentryEvents sentryEvents;

	@Test
	void reportsFailingRequestWithItsTagsUserAndQueries() throws Exception {
		this.mvc.perform(get("/api/fail").header("X-User", "alice")).andExpect(status().isInternalServerError());

		assertThat(this.sentryEvents).hasSize(1)
			.first()
			.hasExceptionOfType(IllegalStateException.class)
			.hasExceptionMessageContaining("Checkout failed for Ada")
			.hasCauseOfType(IllegalArgumentException.class)
			.hasTag("endpoint", "/api/fail")
			.hasTag("service", "shop")
			.hasUser("alice")
			.hasBreadcrumb("query", "FROM customers")
			.hasLastBreadcrumb("query", "SELECT name FROM customers WHERE id = ?")
			.hasTransaction("GET /api/fail")
			.hasRequest("GET", "/api/fail");
	}

	@Test
	void reportsFailureOfAsyncRequestOnceDispatched() throws Exception {
		MvcResult started = this.mvc.perform(get("/api/async-fail").header("X-User", "carol"))
			.andExpect(request().asyncStarted())
			.andReturn();
		this.mvc.perform(asyncDispatch(started)).andExpect(status().isInternalServerError());

		assertThat(this.sentryEvents).singleElement()
			.hasExceptionOfType(IllegalStateException.class)
			.hasExceptionMessageContaining("Async checkout failed")
			.hasUser("carol")
			.hasTransaction("GET /api/async-fail");
	}

	@Test
	void clientErrorsAreNotReported() throws Exception {
		this.mvc.perform(get("/api/missing")).andExpect(status().isNotFound());

		assertThat(this.sentryEvents).isEmpty();
	}

	@Test
	void recordsTransactionsWithTheirSpans() throws Exception {
		this.mvc.perform(get("/api/orders/1")).andExpect(status().isOk());

		assertThat(this.sentryEvents).isEmpty();
		assertThatTransactions(this.sentryEvents).hasSize(1)
			.hasTransactionNamed("GET /api/orders/{id}")
			.hasOp("http.server")
			.hasStatus("ok")
			.hasSpanWithOp("db.sql.query")
			.hasSpan("db.sql.query", "SELECT product FROM orders WHERE id = ?");
	}

	@Test
	void waitsForEventsOfBackgroundWork() throws Exception {
		this.mvc.perform(post("/api/nightly-report")).andExpect(status().isAccepted());

		this.sentryEvents.awaitErrors(1);
		assertThat(this.sentryEvents).singleElement()
			.hasExceptionOfType(IllegalStateException.class)
			.hasExceptionMessageContaining("Nightly report failed")
			.hasNoUser();
	}

	@Test
	void eventsOfAnotherApplicationContextAreNotSeen() {
		// Like another context in Spring's test context cache: its own SDK client and store.
		try (ConfigurableApplicationContext other = new SpringApplicationBuilder(TestApplication.class)
			.web(WebApplicationType.NONE)
			.properties("sentry.local.enabled=true", "sentry.local.only=true", "spring.main.banner-mode=off")
			.run()) {
			other.getBean(SentrySdk.class).getScopes().captureException(new IllegalStateException("elsewhere"));

			assertThat(other.getBean(LocalEventStore.class).events()).hasSize(1);
			assertThat(this.sentryEvents).isEmpty();
		}
	}

	@Test
	void waitingForEventsThatNeverComeFailsWithWhatArrived() throws Exception {
		this.mvc.perform(get("/api/fail")).andExpect(status().isInternalServerError());

		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.sentryEvents.awaitErrors(2, Duration.ofMillis(200)))
			.withMessageStartingWith("Expected at least 2 Sentry error events within PT0.2S, but 1 arrived: "
					+ "[java.lang.IllegalStateException: Checkout failed for Ada in GET /api/fail (event ");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.sentryEvents.awaitTransactions(2, Duration.ofMillis(100)))
			.withMessageStartingWith("Expected at least 2 Sentry transactions within PT0.1S, but 1 arrived: "
					+ "[GET /api/fail [http.server, internal_error, ");
	}

}
