package dev.sentryboot.autoconfigure.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import dev.sentryboot.autoconfigure.testsupport.SentryWireTests;
import dev.sentryboot.autoconfigure.testsupport.TestHttp;
import io.sentry.Breadcrumb;
import io.sentry.EventProcessor;
import io.sentry.Hint;
import io.sentry.ISpan;
import io.sentry.ITransaction;
import io.sentry.Sentry;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.protocol.Message;
import io.sentry.protocol.User;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corpus of secrets placed everywhere data can sit (request, tags, extras, contexts, user,
 * breadcrumbs, exception causes, log messages and parameters, spans), sent through a real
 * application to the in-test Sentry endpoint: not one secret may be in the bytes that arrive,
 * and harmless neighbours must arrive intact.
 */
@SpringBootTest(classes = { WebTestApplication.class, ScrubbedOnTheWireTests.Corpus.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sentry.traces-sample-rate=1.0")
class ScrubbedOnTheWireTests extends SentryWireTests {

	static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.U2lnbmF0dXJlQnl0ZXM";

	static final String PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAprivkeymaterial\n"
			+ "-----END RSA PRIVATE KEY-----";

	/** Free text holding every value-shaped secret. */
	static final String FREE_TEXT = "jwt " + JWT + ", auth Bearer abcDEF987654xyz, card 4111 1111 1111 1111, "
			+ "aws AKIAIOSFODNN7EXAMPLE, db postgres://app:pgS3cretPW@db/orders, password=Hunter2Secret, "
			+ "\"api_key\": \"ApiKeyValue777\", " + PEM + " for order-12345";

	/** What must not arrive: the secret part of each planted secret. */
	static final List<String> SECRETS = List.of("eyJzdWIiOiJqYW5lIn0", "U2lnbmF0dXJlQnl0ZXM", "abcDEF987654xyz",
			"4111 1111 1111 1111", "4111111111111111", "AKIAIOSFODNN7EXAMPLE", "pgS3cretPW", "Hunter2Secret",
			"ApiKeyValue777", "privkeymaterial", "QueryTokenValue55", "HeaderTokenValue42", "SessionValue99",
			"BodyPassword11", "TagKeyValue31", "ExtraSecret64", "ContextCvv123", "UserDataToken8", "SpanPassword5",
			"jane@example.com", "203.0.113.7", "LogParamSecret3");

	@Test
	void noSecretArrivesAndNeighboursDo() {
		TestHttp web = http();
		String query = "/corpus?access_token=QueryTokenValue55&token_type=bearer&orderId=order-12345&note="
				+ java.net.URLEncoder.encode(FREE_TEXT, StandardCharsets.UTF_8);
		assertThat(web.status(query, "X-Auth-Token", "HeaderTokenValue42", "X-Note", FREE_TEXT.replace('\n', ' '),
				"Cookie", "JSESSIONID=SessionValue99; theme=dark", "X-Order", "order-12345")).isEqualTo(500);
		assertThat(web.status("/corpus-log")).isEqualTo(200);
		assertThat(web.status("/corpus-manual")).isEqualTo(200);
		assertThat(web.status("/corpus-transaction")).isEqualTo(200);

		sentry.awaitEvents(3, Duration.ofSeconds(10));
		List<String> payloads = awaitPayloadsWithTransaction();
		String everything = String.join("\n", payloads);
		for (String secret : SECRETS) {
			int at = everything.indexOf(secret);
			assertThat(at).as("secret '%s' left the process in: ...%s...", secret,
					(at < 0) ? "" : everything.substring(Math.max(0, at - 300), Math.min(everything.length(), at + 100)))
				.isNegative();
		}
		assertThat(everything).contains("\\\"token_type\\\":\\\"bearer\\\"", "token_type=bearer",
				"\\\"author\\\":\\\"Jane Austen\\\"", "\"author\":\"Jane Austen\"", "order-12345",
				"\"X-Order\":\"order-12345\"", "\"plan\":\"gold\"", "[Filtered]");
	}

	private List<String> awaitPayloadsWithTransaction() {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (sentry.transactions().isEmpty() && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(sentry.transactions()).isNotEmpty();
		List<String> payloads = new ArrayList<>();
		for (SentryTestServer.Envelope envelope : sentry.envelopes()) {
			payloads.add(envelope.header().toString());
			for (SentryTestServer.Item item : envelope.items()) {
				payloads.add(item.payloadAsString());
			}
		}
		return payloads;
	}

	@TestConfiguration(proxyBeanMethods = false)
	@Import(CorpusController.class)
	static class Corpus {

		// An application callback that adds the raw body: the scrubber runs after it.
		@Bean
		EventProcessor requestBody() {
			return new EventProcessor() {
				@Override
				public SentryEvent process(SentryEvent event, Hint hint) {
					if (event.getRequest() != null) {
						event.getRequest()
							.setData("{\"password\":\"BodyPassword11\",\"token_type\":\"bearer\","
									+ "\"author\":\"Jane Austen\",\"orderId\":\"order-12345\",\"note\":\"" + JWT
									+ "\"}");
					}
					return event;
				}
			};
		}

	}

	@RestController
	static class CorpusController {

		@GetMapping("/corpus")
		String corpus() {
			Sentry.setTag("note", FREE_TEXT);
			Sentry.setTag("api_key", "TagKeyValue31");
			Sentry.setTag("order", "order-12345");
			Sentry.setExtra("raw", FREE_TEXT);
			Sentry.setExtra("secret", "ExtraSecret64");
			Map<String, Object> customer = new LinkedHashMap<>();
			customer.put("cvv", "ContextCvv123");
			customer.put("nested", List.of(Map.of("deeper", Map.of("password", "Hunter2Secret", "text", FREE_TEXT))));
			Sentry.configureScope((scope) -> scope.setContexts("customer", customer));
			User user = new User();
			user.setId("42");
			user.setEmail("jane@example.com");
			user.setIpAddress("203.0.113.7");
			user.setData(Map.of("token", "UserDataToken8", "plan", "gold"));
			Sentry.setUser(user);
			Sentry.addBreadcrumb("User logged in with password=Hunter2Secret");
			Breadcrumb query = new Breadcrumb();
			query.setCategory("query");
			query.setMessage("select * from accounts where api_key='ApiKeyValue777'");
			query.setData("url", "postgres://app:pgS3cretPW@db/orders");
			query.setData("params", List.of("4111 1111 1111 1111", "order-12345"));
			Sentry.addBreadcrumb(query);
			throw new IllegalStateException("Charging card 4111 1111 1111 1111 failed",
					new RuntimeException("cause with " + JWT + " and AKIAIOSFODNN7EXAMPLE",
							new RuntimeException("root " + PEM + " password=Hunter2Secret")));
		}

		@GetMapping("/corpus-log")
		String log() {
			// What a logging integration sends: a template, its parameters and the formatted text.
			SentryEvent event = new SentryEvent();
			event.setLevel(SentryLevel.ERROR);
			Message message = new Message();
			message.setMessage("Login failed for {} with password={}");
			message.setParams(List.of("jane", "LogParamSecret3 " + FREE_TEXT));
			message.setFormatted("Login failed for jane with password=LogParamSecret3");
			event.setMessage(message);
			event.setExtra("mdc", Map.of("traceId", "abc", "session", "SessionValue99"));
			Map<String, Object> payload = new LinkedHashMap<>();
			payload.put("secret", "ExtraSecret64");
			payload.put("items", List.of(Map.of("sku", "order-12345", "note", FREE_TEXT), List.of(FREE_TEXT)));
			payload.put("author", "Jane Austen");
			event.setExtra("payload", payload);
			Sentry.captureEvent(event);
			return "logged";
		}

		@GetMapping("/corpus-manual")
		String manual() {
			Sentry.captureException(new IllegalArgumentException("manual " + FREE_TEXT), (scope) -> {
				scope.setTag("password", "Hunter2Secret");
				scope.setExtra("text", FREE_TEXT);
			});
			return "captured";
		}

		@GetMapping("/corpus-transaction")
		String transaction() {
			ITransaction transaction = Sentry.startTransaction("corpus-job", "task");
			transaction.setTag("token", "TagKeyValue31");
			transaction.setData("note", FREE_TEXT);
			ISpan span = transaction.startChild("db.sql.query",
					"update users set password = 'SpanPassword5' where id = 7");
			span.setData("db.statement", "select * from t where api_key='ApiKeyValue777'");
			span.setTag("secret", "ExtraSecret64");
			span.finish();
			transaction.finish();
			return "traced";
		}

	}

}
