package dev.sentryboot.autoconfigure.tracing;

import java.time.Duration;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryWireTests;
import dev.sentryboot.autoconfigure.web.SentryRequestFilter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code traces-sample-rate} holds over many requests: they go through the filter and the
 * dispatcher in process (MockMvc), the transactions they produce over the wire.
 */
@SpringBootTest(classes = TracingTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sentry.traces-sample-rate=0.25", "sentry.max-queue-size=5000" })
class SamplingRateTests extends SentryWireTests {

	static final int REQUESTS = 2_000;

	@Autowired
	WebApplicationContext context;

	@Autowired
	FilterRegistrationBean<SentryRequestFilter> sentryFilter;

	@Autowired
	SentrySdk sdk;

	@Test
	void sendsTheConfiguredShareOfRequestsAsTransactions() throws Exception {
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(this.context).addFilters(this.sentryFilter.getFilter()).build();
		for (int i = 0; i < REQUESTS; i++) {
			mvc.perform(get("/api/ping/{id}", i)).andExpect(status().isOk());
		}
		double expected = REQUESTS * 0.25;
		double deviation = Math.sqrt(REQUESTS * 0.25 * 0.75);
		int lowest = (int) Math.ceil(expected - 3 * deviation);
		sentry.awaitTransactions(lowest, Duration.ofSeconds(15));
		this.sdk.flush();
		int sent = sentry.transactions().size();
		assertThat((double) sent).isBetween(expected - 3 * deviation, expected + 3 * deviation);
		assertThat(sentry.transactions()).allSatisfy(
				(transaction) -> assertThat(transaction.path("transaction").asString()).isEqualTo("GET /api/ping/{id}"));
	}

}
