package dev.sentryboot.autoconfigure.web;

import dev.sentryboot.autoconfigure.testsupport.SentryWireTests;
import io.sentry.protocol.User;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static dev.sentryboot.autoconfigure.web.SentryRequestFilterTests.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code sentry.send-default-pii=true}: the user from Spring Security and the application's
 * providers, the client IP as the container sees it, and cookies without session ids.
 */
@SpringBootTest(classes = { WebTestApplication.class, SentryRequestFilterPiiTests.Providers.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sentry.send-default-pii=true")
class SentryRequestFilterPiiTests extends SentryWireTests {

	@Test
	void attachesAuthenticatedUserAndClientIp() {
		assertThat(http().status("/boom", "Authorization", ALICE)).isEqualTo(500);
		JsonNode event = sentry.awaitEvents(1, WAIT).get(0);
		JsonNode user = event.path("user");
		assertThat(user.path("username").asString()).isEqualTo("alice");
		assertThat(user.path("id").asString()).isEqualTo("alice");
		assertThat(user.path("ip_address").asString()).isEqualTo("127.0.0.1");
		assertThat(event.path("request").path("env").path("REMOTE_ADDR").asString()).isEqualTo("127.0.0.1");
		assertThat(event.toString()).doesNotContain("alice-password", ALICE.substring(6));
	}

	@Test
	void applicationProvidersRefineTheUser() {
		http().status("/boom", "Authorization", ALICE, "X-Tenant", "acme");
		JsonNode user = sentry.awaitEvents(1, WAIT).get(0).path("user");
		assertThat(user.path("username").asString()).isEqualTo("alice");
		assertThat(user.path("email").asString()).isEqualTo("alice@acme.example");
		assertThat(user.path("data").path("tenant").asString()).isEqualTo("acme");
	}

	@Test
	void anonymousRequestCarriesOnlyTheClientIp() {
		http().status("/boom");
		JsonNode user = sentry.awaitEvents(1, WAIT).get(0).path("user");
		assertThat(user.path("username").isMissingNode()).isTrue();
		assertThat(user.path("ip_address").asString()).isEqualTo("127.0.0.1");
	}

	@Test
	void neverTrustsRawForwardedForHeader() {
		http().status("/boom", "X-Forwarded-For", "203.0.113.9");
		JsonNode event = sentry.awaitEvents(1, WAIT).get(0);
		assertThat(event.path("user").path("ip_address").asString()).isEqualTo("127.0.0.1");
		assertThat(event.toString()).doesNotContain("203.0.113.9");
	}

	@Test
	void sendsCookiesWithoutSessionIds() {
		http().status("/boom", "Cookie", "JSESSIONID=s3ss10n; theme=dark");
		JsonNode request = sentry.awaitEvents(1, WAIT).get(0).path("request");
		assertThat(request.path("cookies").asString()).contains("theme=dark").doesNotContain("s3ss10n");
		assertThat(request.path("headers").has("Cookie")).isFalse();
		assertThat(request.path("headers").has("cookie")).isFalse();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Providers {

		@Bean
		SentryUserProvider tenantUserProvider() {
			return (request) -> {
				String tenant = request.getHeader("X-Tenant");
				if (tenant == null) {
					return null;
				}
				User user = new User();
				user.setEmail("alice@" + tenant + ".example");
				user.setData(java.util.Map.of("tenant", tenant));
				return user;
			};
		}

	}

}
