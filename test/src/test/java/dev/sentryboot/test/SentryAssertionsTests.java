package dev.sentryboot.test;

import dev.sentryboot.test.app.TestApplication;
import io.sentry.SentryLevel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

import static dev.sentryboot.test.SentryAssertions.assertThat;
import static dev.sentryboot.test.SentryAssertions.assertThatTransactions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Each assertion passes on a real event and fails, with a message that shows what the event
 * holds, when the expectation is wrong. Same configuration as {@link SentryEventsMockMvcTests}.
 */
@SpringBootTest(classes = TestApplication.class)
@AutoConfigureMockMvc
@AutoConfigureSentryTest
class SentryAssertionsTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	SentryEvents sentryEvents;

	CapturedEvent event;

	CapturedTransaction transaction;

	@BeforeEach
	void captureOneOfEach() throws Exception {
		this.mvc.perform(get("/api/fail").header("X-User", "alice")).andExpect(status().isInternalServerError());
		this.mvc.perform(get("/api/orders/1")).andExpect(status().isOk());
		this.event = this.sentryEvents.errors().get(0);
		// Both requests are traced; these tests look at the successful one.
		this.transaction = this.sentryEvents.transactions()
			.stream()
			.filter((candidate) -> "GET /api/orders/{id}".equals(candidate.name()))
			.findFirst()
			.orElseThrow();
	}

	@Test
	void exceptionType() {
		assertThat(this.event).hasExceptionOfType(IllegalStateException.class)
			.hasCauseOfType(IllegalArgumentException.class);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.event).hasExceptionOfType(IllegalArgumentException.class))
			.withMessageContaining("to report an exception of type:%n  java.lang.IllegalArgumentException%n".formatted())
			.withMessageContaining("but it reported:%n  java.lang.IllegalStateException caused by java.lang.IllegalArgumentException"
				.formatted())
			.withMessageContaining("java.lang.IllegalStateException: Checkout failed for Ada in GET /api/fail (event "
					+ this.event.eventId() + ")");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.event).hasCauseOfType(IllegalStateException.class))
			.withMessageContaining("to have a cause of type:%n  java.lang.IllegalStateException".formatted());
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.event).hasExceptionMessageContaining("for Bob"))
			.withMessageContaining("but the message was:%n  Checkout failed for Ada".formatted());
	}

	@Test
	void levelAndMessage() {
		assertThat(this.event).hasLevel(SentryLevel.ERROR);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.event).hasLevel(SentryLevel.WARNING))
			.withMessageContaining("to have level:%n  warning%nbut it had:%n  error".formatted());
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.event).hasMessageContaining("Checkout"))
			.withMessageContaining("to have a message containing:%n  Checkout%nbut the message was:%n  null".formatted());
	}

	@Test
	void tags() {
		assertThat(this.event).hasTag("endpoint", "/api/fail").doesNotHaveTag("feature");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.event).hasTag("endpoint", "/api/orders"))
			.withMessageContaining("to have tag:%n  endpoint=/api/orders%nbut its tags were:%n  {".formatted())
			.withMessageContaining("endpoint=/api/fail")
			.withMessageContaining("service=shop");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.event).doesNotHaveTag("service"))
			.withMessageContaining("not to have tag:%n  service%nbut it had:%n  service=shop".formatted());
	}

	@Test
	void user() {
		assertThat(this.event).hasUser("alice");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(this.event).hasUser("bob"))
			.withMessageContaining("to have user:%n  bob%nbut its user was:%n  {".formatted())
			.withMessageContaining("username=alice");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(this.event).hasNoUser())
			.withMessageContaining("to have no user%nbut its user was:".formatted());
	}

	@Test
	void breadcrumbs() {
		assertThat(this.event).hasBreadcrumb("query", "FROM customers")
			.hasBreadcrumb("http", "/api/fail")
			.hasLastBreadcrumb("query", "SELECT name FROM customers");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.event).hasBreadcrumb("query", "FROM invoices"))
			.withMessageContaining("to have a breadcrumb [query] containing:%n  FROM invoices%n".formatted())
			.withMessageContaining("[query] SELECT name FROM customers WHERE id = ?");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.event).hasLastBreadcrumb("query", "FROM orders"))
			.withMessageContaining("to have a last breadcrumb [query] containing:%n  FROM orders".formatted());
	}

	@Test
	void transactionAndRequestOfTheEvent() {
		assertThat(this.event).hasTransaction("GET /api/fail").hasRequest("GET", "/api/fail");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.event).hasTransaction("GET /api/orders/{id}"))
			.withMessageContaining("to belong to transaction:%n  GET /api/orders/{id}%nbut it belonged to:%n  GET /api/fail"
				.formatted());
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.event).hasRequest("POST", "/api/fail"))
			.withMessageContaining("to have request:%n  POST /api/fail%nbut it had:%n  GET http://localhost/api/fail"
				.formatted());
	}

	@Test
	void traceOfTheEventIsTheTraceOfItsRequest() {
		CapturedTransaction failed = this.sentryEvents.transactions()
			.stream()
			.filter((candidate) -> "GET /api/fail".equals(candidate.name()))
			.findFirst()
			.orElseThrow();
		String eventTrace = Json.string(Json.object(this.event.contexts().get("trace")).get("trace_id"));
		assertThat(failed.traceId()).matches("[0-9a-f]{32}").isEqualTo(eventTrace);
		assertThat(this.transaction.traceId()).matches("[0-9a-f]{32}").isNotEqualTo(eventTrace);
	}

	@Test
	void listOfEvents() {
		assertThat(this.sentryEvents).hasSize(1).singleElement().hasUser("alice");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(this.sentryEvents).hasSize(2))
			.withMessageContaining("[Sentry error events]")
			.withMessageContaining("Expected size: 2 but was: 1")
			.withMessageContaining("java.lang.IllegalStateException: Checkout failed for Ada in GET /api/fail");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.sentryEvents).filteredOn((event) -> event.username() == null).first())
			.withMessageContaining("[Sentry error events]");
	}

	@Test
	void transactions() {
		assertThat(this.transaction).isNamed("GET /api/orders/{id}")
			.hasOp("http.server")
			.hasStatus("ok")
			.hasSpan("db.sql.query", "FROM orders")
			.doesNotHaveSpanWithOp("http.client");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThatTransactions(this.sentryEvents).hasTransactionNamed("GET /api/orders"))
			.withMessageContaining("Expecting a Sentry transaction named:%n  GET /api/orders%n".formatted())
			.withMessageContaining("but the transactions were named:%n  [".formatted())
			.withMessageContaining("GET /api/orders/{id}");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.transaction).hasSpanWithOp("http.client"))
			.withMessageContaining("to have a span with op:%n  http.client%nbut its spans were:%n".formatted())
			.withMessageContaining("db.sql.query SELECT product FROM orders WHERE id = ?");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.transaction).hasSpan("db.sql.query", "FROM customers"))
			.withMessageContaining("to have a span db.sql.query containing:%n  FROM customers".formatted());
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.transaction).doesNotHaveSpanWithOp("db.sql.query"))
			.withMessageContaining("not to have a span with op:%n  db.sql.query".formatted());
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(this.transaction).isNamed("GET /"))
			.withMessageContaining("to be named:%n  GET /%nbut it was named:%n  GET /api/orders/{id}".formatted());
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(this.transaction).hasOp("task"))
			.withMessageContaining("to have op:%n  task%nbut it had:%n  http.server".formatted());
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.transaction).hasStatus("internal_error"))
			.withMessageContaining("to have status:%n  internal_error%nbut it had:%n  ok".formatted());
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.transaction).hasTag("service", "billing"))
			.withMessageContaining("to have tag:%n  service=billing%nbut its tags were:%n  {service=shop}".formatted());
	}

}
