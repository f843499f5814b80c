package dev.sentryboot.autoconfigure.logging;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import dev.sentryboot.autoconfigure.testsupport.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static dev.sentryboot.autoconfigure.logging.SentryLoggingApplicationListenerTests.mainException;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request failure that the web layer reports and that Spring, the application or Tomcat also
 * logs arrives once.
 */
class SentryLoggingWebTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final SentryTestServer sentry = new SentryTestServer();

	private static ConfigurableApplicationContext context;

	private static TestHttp http;

	@BeforeAll
	static void startApplication() {
		context = new SpringApplicationBuilder(FailingWebApplication.class)
			.properties("sentry.dsn=" + sentry.dsn(), "server.port=0", "spring.main.banner-mode=off")
			.run();
		http = new TestHttp(((WebServerApplicationContext) context).getWebServer().getPort());
	}

	@AfterAll
	static void stopApplication() {
		context.close();
		assertThat(SentryLoggingApplicationListenerTests.sentryAppenders(SentryLoggingApplicationListenerTests.root()))
			.isEmpty();
		sentry.close();
	}

	@BeforeEach
	void reset() {
		context.getBean(SentrySdk.class).flush();
		sentry.reset();
	}

	@Test
	void anExceptionTomcatLogsAgainArrivesOnceFromTheWebLayer() {
		// Tomcat logs the root cause, which the SDK's duplicate detection does not connect to
		// the exception the web layer captured.
		assertThat(http.status("/fail")).isEqualTo(500);
		JsonNode event = theOnlyEventBeforeTheMarker();
		assertThat(mainException(event).path("mechanism").path("type").asString()).isEqualTo("spring.mvc");
		assertThat(event.path("exception").toString()).contains("order failed").contains("deadlock detected");
	}

	@Test
	void anExceptionTheApplicationLogsAndTurnsIntoA500ArrivesOnce() {
		assertThat(http.status("/handled")).isEqualTo(500);
		JsonNode event = theOnlyEventBeforeTheMarker();
		assertThat(mainException(event).path("value").asString()).isEqualTo("card declined");
		// Logged inside the request: the event carries it.
		assertThat(event.path("request").path("url").asString()).endsWith("/handled");
	}

	@Test
	void anExceptionLoggedThenThrownArrivesOnce() {
		assertThat(http.status("/logged-then-thrown")).isEqualTo(500);
		JsonNode event = theOnlyEventBeforeTheMarker();
		assertThat(mainException(event).path("value").asString()).isEqualTo("stock service down");
	}

	@Test
	void springsWarningsAboutClientErrorsAreNoEvents() {
		assertThat(http.status("/orders?page=abc")).isEqualTo(400);
		assertThat(eventsBeforeTheMarker()).isEmpty();
	}

	private JsonNode theOnlyEventBeforeTheMarker() {
		List<JsonNode> events = eventsBeforeTheMarker();
		assertThat(events).hasSize(1);
		return events.get(0);
	}

	// Events leave in the order they were captured: once the marker, captured after the
	// response, has arrived, everything the request caused has too.
	private List<JsonNode> eventsBeforeTheMarker() {
		SentrySdk sdk = context.getBean(SentrySdk.class);
		sdk.getScopes().captureMessage("marker");
		sdk.flush();
		List<JsonNode> events = sentry.awaitEvents(1, WAIT);
		assertThat(events.get(events.size() - 1).path("message").path("formatted").asString()).isEqualTo("marker");
		return events.subList(0, events.size() - 1);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(OrdersController.class)
	static class FailingWebApplication {

		@Bean
		SecurityFilterChain openSecurity(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}

	}

	@RestController
	static class OrdersController {

		private static final Logger log = LoggerFactory.getLogger(OrdersController.class);

		@GetMapping("/fail")
		String fail() {
			throw new IllegalStateException("order failed", new SQLException("deadlock detected"));
		}

		@GetMapping("/handled")
		String handled() {
			throw new PaymentException("card declined");
		}

		@GetMapping("/logged-then-thrown")
		String loggedThenThrown() {
			IllegalStateException failure = new IllegalStateException("stock service down");
			log.error("could not reserve stock", failure);
			throw failure;
		}

		@GetMapping("/orders")
		String orders(@RequestParam int page) {
			return "page " + page;
		}

		@ExceptionHandler
		ResponseEntity<String> paymentFailed(PaymentException ex) {
			log.error("payment failed", ex);
			return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body("payment failed");
		}

	}

	static final class PaymentException extends RuntimeException {

		PaymentException(String message) {
			super(message);
		}

	}

}
