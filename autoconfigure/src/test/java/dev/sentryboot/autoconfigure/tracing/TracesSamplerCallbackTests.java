package dev.sentryboot.autoconfigure.tracing;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryWireTests;
import io.sentry.SentryOptions;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sampler bean decides instead of {@code traces-sample-rate}, and sees the request.
 */
@SpringBootTest(classes = { TracingTestApplication.class, TracesSamplerCallbackTests.Sampler.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sentry.traces-sample-rate=1.0")
class TracesSamplerCallbackTests extends SentryWireTests {

	@Autowired
	SentrySdk sdk;

	@Test
	void samplerBeanDecidesInsteadOfTheRate() {
		http().status("/api/orders/1?trace=no");
		http().status("/api/orders/2?trace=yes");
		http().status("/api/orders/3/fail");
		JsonNode transaction = sentry.awaitTransactions(1, WAIT).get(0);
		sentry.awaitEvents(1, WAIT);
		this.sdk.flush();
		assertThat(sentry.transactions()).hasSize(1);
		assertThat(transaction.path("request").path("query_string").asString()).isEqualTo("trace=yes");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Sampler {

		@Bean
		SentryOptions.TracesSamplerCallback tracesSampler() {
			return (context) -> {
				HttpServletRequest request = (HttpServletRequest) context.getCustomSamplingContext().get("request");
				assertThat(context.getTransactionContext().getOperation()).isEqualTo("http.server");
				return "yes".equals(request.getParameter("trace")) ? 1.0 : 0.0;
			};
		}

	}

}
