package dev.sentryboot.autoconfigure;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import dev.sentryboot.autoconfigure.testsupport.SentryWireTests;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SDK's API used by hand inside requests (the README's "Manual API"): everything lands on
 * the request's own scopes, with the request attached, and nothing reaches the next request.
 */
@SpringBootTest(classes = ManualApiTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sentry.traces-sample-rate=1.0")
class ManualApiTests extends SentryWireTests {

	/** Generous: a machine under load may take long over the first request; passing tests never wait it out. */
	static final Duration PATIENCE = Duration.ofSeconds(30);

	@Test
	void capturedExceptionCarriesTheRequestTagContextBreadcrumbAndUser() {
		String id = UUID.randomUUID().toString();
		assertThat(http().status("/manual/checkout?user=alice&id=" + id)).isEqualTo(200);
		JsonNode event = awaitEvent("payment declined " + id);
		assertThat(event.path("request").path("url").asString()).endsWith("/manual/checkout");
		assertThat(event.path("request").path("query_string").asString()).contains("id=" + id);
		assertThat(event.path("tags").path("checkout-step").asString()).isEqualTo("payment");
		assertThat(event.path("contexts").path("cart").path("items").asInt()).isEqualTo(3);
		assertThat(event.path("user").path("username").asString()).isEqualTo("alice");
		assertThat(event.path("breadcrumbs").toString()).contains("cart checked out " + id);
	}

	@Test
	void transactionWithChildSpansArrivesWithTheRequest() {
		String id = UUID.randomUUID().toString();
		assertThat(http().status("/manual/checkout?user=alice&id=" + id)).isEqualTo(200);
		JsonNode transaction = await().atMost(PATIENCE)
			.until(() -> sentry.transactions()
				.stream()
				.filter((tx) -> ("checkout " + id).equals(tx.path("transaction").asString()))
				.findFirst(), Optional::isPresent)
			.get();
		assertThat(transaction.path("contexts").path("trace").path("op").asString()).isEqualTo("checkout");
		assertThat(SentryTestServer.spans(transaction, "db.query")).singleElement()
			.satisfies((span) -> assertThat(span.path("description").asString()).isEqualTo("load cart"));
		assertThat(SentryTestServer.spans(transaction, "http.client")).hasSize(1);
		assertThat(transaction.path("request").path("url").asString()).endsWith("/manual/checkout");
	}

	@Test
	void userAndTagsOfOneRequestDoNotReachTheNext() {
		String first = UUID.randomUUID().toString();
		assertThat(http().status("/manual/checkout?user=alice&id=" + first)).isEqualTo(200);
		assertThat(http().status("/manual/injected?id=" + first)).isEqualTo(200);
		awaitEvent("payment declined " + first);
		JsonNode injected = awaitEvent("injected " + first);
		// The injected IScopes acted on that request's scopes.
		assertThat(injected.path("tags").path("via").asString()).isEqualTo("bean");
		assertThat(injected.path("request").path("url").asString()).endsWith("/manual/injected");
		assertThat(injected.path("user").path("username").isMissingNode()).isTrue();

		String second = UUID.randomUUID().toString();
		assertThat(http().status("/manual/anonymous?id=" + second)).isEqualTo(200);
		JsonNode anonymous = awaitEvent("anonymous " + second);
		assertThat(anonymous.path("user").path("username").isMissingNode()).isTrue();
		assertThat(anonymous.path("tags").has("via")).isFalse();
		assertThat(anonymous.path("tags").has("checkout-step")).isFalse();
		assertThat(anonymous.path("breadcrumbs").toString()).doesNotContain("cart checked out");
	}

	@Test
	void clearedUserIsGone() {
		String id = UUID.randomUUID().toString();
		assertThat(http().status("/manual/logout?id=" + id)).isEqualTo(200);
		assertThat(awaitEvent("logged out " + id).path("user").path("username").isMissingNode()).isTrue();
	}

	private static JsonNode awaitEvent(String text) {
		return await().atMost(PATIENCE)
			.until(() -> sentry.events().stream().filter((event) -> event.toString().contains(text)).findFirst(),
					Optional::isPresent)
			.get();
	}

}
