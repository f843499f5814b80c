package dev.sentryboot.autoconfigure.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import io.sentry.SentryClient;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import io.sentry.protocol.SentryId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class SentryTestServerTests {

	private static final String EVENT_ID = "9ec79c33ec9942ab8353589fcb2e04dc";

	private final SentryTestServer server = new SentryTestServer();

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	void decodesGzipEnvelopeWithAndWithoutItemLength() throws Exception {
		// Pretty-printed with a newline inside and a non-ASCII char: only a byte-exact
		// length lets the decoder find the end of this payload.
		byte[] event = ("{\n  \"event_id\": \"" + EVENT_ID + "\",\n  \"message\": {\"formatted\": \"grüße\"}\n}")
			.getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream envelope = new ByteArrayOutputStream();
		envelope.writeBytes(("{\"event_id\":\"" + EVENT_ID + "\",\"sent_at\":\"2026-01-01T00:00:00Z\"}\n")
			.getBytes(StandardCharsets.UTF_8));
		envelope.writeBytes(("{\"type\":\"event\",\"length\":" + event.length + "}\n").getBytes(StandardCharsets.UTF_8));
		envelope.writeBytes(event);
		envelope.writeBytes("\n{\"type\":\"client_report\"}\n{\"discarded_events\":[{\"reason\":\"x\"}]}\n"
			.getBytes(StandardCharsets.UTF_8));

		HttpResponse<String> response = post(gzip(envelope.toByteArray()), true);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"id\":\"" + EVENT_ID + "\"}");
		assertThat(this.server.decodeErrors()).isEmpty();
		SentryTestServer.Envelope received = this.server.envelopes().get(0);
		assertThat(received.projectId()).isEqualTo("42");
		assertThat(received.requestHeader("x-sentry-auth")).contains("sentry_key=testkey");
		assertThat(received.requestHeader("Content-Encoding")).isEqualTo("gzip");
		assertThat(received.header().path("sent_at").asString()).isEqualTo("2026-01-01T00:00:00Z");
		assertThat(received.items()).extracting(SentryTestServer.Item::type).containsExactly("event", "client_report");
		assertThat(received.items().get(1).json().path("discarded_events").path(0).path("reason").asString())
			.isEqualTo("x");
		List<JsonNode> events = this.server.events();
		assertThat(events).hasSize(1);
		assertThat(events.get(0).path("message").path("formatted").asString()).isEqualTo("grüße");
		assertThat(this.server.transactions()).isEmpty();
	}

	@Test
	void acceptsPlainBody() throws Exception {
		String envelope = "{}\n{\"type\":\"transaction\"}\n{\"transaction\":\"GET /\"}";

		assertThat(post(envelope.getBytes(StandardCharsets.UTF_8), false).statusCode()).isEqualTo(200);

		assertThat(this.server.transactions()).singleElement()
			.satisfies((transaction) -> assertThat(transaction.path("transaction").asString()).isEqualTo("GET /"));
	}

	@Test
	void answersUndecodableBodyWith400AndCountsIt() throws Exception {
		byte[] truncated = "{}\n{\"type\":\"event\",\"length\":500}\n{}".getBytes(StandardCharsets.UTF_8);

		assertThat(post(gzip(truncated), true).statusCode()).isEqualTo(400);
		assertThat(post("not json\n".getBytes(StandardCharsets.UTF_8), false).statusCode()).isEqualTo(400);

		assertThat(this.server.envelopes()).isEmpty();
		assertThat(this.server.decodeErrors()).hasSize(2);
		assertThat(this.server.decodeErrors().get(0)).contains("length 500");
	}

	@Test
	void stopsAndStartsAgainOnTheSamePort() throws Exception {
		int port = this.server.port();
		String dsn = this.server.dsn();
		assertThat(post(minimalEvent(), false).statusCode()).isEqualTo(200);

		this.server.stop();
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> post(minimalEvent(), false));

		this.server.start();
		assertThat(this.server.port()).isEqualTo(port);
		assertThat(this.server.dsn()).isEqualTo(dsn);
		assertThat(post(minimalEvent(), false).statusCode()).isEqualTo(200);
		assertThat(this.server.events()).hasSize(2);
	}

	@Test
	void respondsWithConfiguredStatusAndHeaders() throws Exception {
		this.server.respondWith(429, Map.of("Retry-After", "60", "X-Sentry-Rate-Limits", "60:error:key"));

		HttpResponse<String> response = post(minimalEvent(), false);

		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("Retry-After")).hasValue("60");
		assertThat(response.headers().firstValue("X-Sentry-Rate-Limits")).hasValue("60:error:key");
		assertThat(this.server.envelopes()).singleElement()
			.satisfies((envelope) -> assertThat(envelope.respondedStatus()).isEqualTo(429));

		this.server.respondWith(200);
		assertThat(post(minimalEvent(), false).statusCode()).isEqualTo(200);
	}

	@Test
	void awaitEventsExplainsWhatArrivedWhenItTimesOut() throws Exception {
		assertThatThrownBy(() -> this.server.awaitEvents(1, Duration.ofMillis(200))).isInstanceOf(AssertionError.class)
			.hasMessageContaining("Expected at least 1 event(s)")
			.hasMessageContaining("got 0")
			.hasMessageContaining("Received 0 envelope(s)");

		post("{}\n{\"type\":\"transaction\"}\n{}\n".getBytes(StandardCharsets.UTF_8), false);

		assertThatThrownBy(() -> this.server.awaitEvents(1, Duration.ofMillis(200)))
			.hasMessageContaining("[transaction]");
		assertThat(this.server.awaitEnvelopes(1, Duration.ofSeconds(10))).hasSize(1);
	}

	@Test
	void resetForgetsWhatArrived() throws Exception {
		post(minimalEvent(), false);
		post("garbage".getBytes(StandardCharsets.UTF_8), false);

		this.server.reset();

		assertThat(this.server.envelopes()).isEmpty();
		assertThat(this.server.decodeErrors()).isEmpty();
	}

	@Test
	void receivesEventFromRealSentryClient() {
		SentryOptions options = new SentryOptions();
		options.setDsn(this.server.dsn());
		SentryClient client = new SentryClient(options);
		try {
			SentryId id = client.captureEvent(new SentryEvent(new RuntimeException("boom")));
			client.flush(5000);

			JsonNode event = this.server.awaitEvents(1, Duration.ofSeconds(10)).get(0);

			assertThat(event.path("event_id").asString()).isEqualTo(id.toString());
			JsonNode exception = event.path("exception").path("values").path(0);
			// The SDK splits the class name: simple name in "type", package in "module".
			assertThat(exception.path("type").asString()).isEqualTo("RuntimeException");
			assertThat(exception.path("module").asString()).isEqualTo("java.lang");
			assertThat(exception.path("value").asString()).isEqualTo("boom");
			SentryTestServer.Envelope envelope = this.server.envelopes().get(0);
			assertThat(envelope.requestHeader("Content-Encoding")).isEqualTo("gzip");
			assertThat(envelope.requestHeader("X-Sentry-Auth")).contains("sentry_key=testkey");
			assertThat(envelope.requestHeader("User-Agent")).startsWith("sentry.java");
			assertThat(this.server.decodeErrors()).isEmpty();
		}
		finally {
			client.close();
		}
	}

	private HttpResponse<String> post(byte[] body, boolean gzipped) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.server.port() + "/api/42/envelope/"))
			.header("Content-Type", "application/x-sentry-envelope")
			.header("X-Sentry-Auth", "Sentry sentry_version=7, sentry_key=testkey")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (gzipped) {
			request.header("Content-Encoding", "gzip");
		}
		// A fresh client per request: a pooled connection would not survive stop()/start().
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.build()
			.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static byte[] minimalEvent() {
		return "{}\n{\"type\":\"event\"}\n{\"message\":\"hi\"}\n".getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] gzip(byte[] bytes) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
			gzip.write(bytes);
		}
		return out.toByteArray();
	}

}
