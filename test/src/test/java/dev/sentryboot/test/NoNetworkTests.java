package dev.sentryboot.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.test.app.TestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static dev.sentryboot.test.SentryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The DSN points at a live HTTP server on 127.0.0.1 that counts what reaches it: with
 * {@link AutoConfigureSentryTest} nothing does; without it, the same configuration sends there.
 */
class NoNetworkTests {

	static final AtomicInteger requests = new AtomicInteger();

	static final HttpServer sentry = startSentry();

	static HttpServer startSentry() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/", (exchange) -> {
				requests.incrementAndGet();
				exchange.getRequestBody().readAllBytes();
				exchange.sendResponseHeaders(200, -1);
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void dsn(DynamicPropertyRegistry registry) {
		registry.add("sentry.dsn", () -> "http://public@127.0.0.1:" + sentry.getAddress().getPort() + "/42");
	}

	@AfterAll
	static void stopSentry() {
		sentry.stop(0);
	}

	@BeforeEach
	void resetCount() {
		requests.set(0);
	}

	/** Settings that would send, or turn Sentry off, give way to the annotation. */
	@Nested
	@SpringBootTest(classes = TestApplication.class,
			properties = { "sentry.enabled=false", "sentry.local.enabled=false", "sentry.local.only=false" })
	@AutoConfigureMockMvc
	@AutoConfigureSentryTest
	class WithAutoConfigureSentryTest {

		@Autowired
		MockMvc mvc;

		@Autowired
		SentryEvents sentryEvents;

		@Autowired
		SentrySdk sdk;

		@Test
		void eventsAndTransactionsStayInTheProcess() throws Exception {
			this.mvc.perform(get("/api/fail")).andExpect(status().isInternalServerError());
			this.mvc.perform(get("/api/orders/1")).andExpect(status().isOk());
			this.sdk.getScopes().captureMessage("direct capture");

			assertThat(this.sentryEvents).hasSize(2);
			// one transaction per request
			SentryAssertions.assertThatTransactions(this.sentryEvents).hasSize(2);
			assertThat(this.sdk.getOptions().getDsn()).endsWith(":" + sentry.getAddress().getPort() + "/42");
			this.sdk.flush();
			assertThat(requests).hasValue(0);
		}

	}

	@Nested
	@SpringBootTest(classes = TestApplication.class)
	@AutoConfigureMockMvc
	@DirtiesContext
	class WithoutIt {

		@Autowired
		MockMvc mvc;

		@Test
		void theSameConfigurationSendsToTheDsn() throws Exception {
			this.mvc.perform(get("/api/fail")).andExpect(status().isInternalServerError());

			await().untilAsserted(() -> assertThat(requests).hasPositiveValue());
		}

	}

}
