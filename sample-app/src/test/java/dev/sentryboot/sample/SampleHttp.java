package dev.sentryboot.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real HTTP against the running sample app, and the one place that knows the shape of
 * {@code /actuator/sentry}.
 */
final class SampleHttp {

	static final Consumer<HttpHeaders> ANONYMOUS = (headers) -> {
	};

	static final Consumer<HttpHeaders> ALICE = (headers) -> headers.setBasicAuth("alice", "alice-password");

	static final Consumer<HttpHeaders> BOB = (headers) -> headers.setBasicAuth("bob", "bob-password");

	private static final JsonMapper json = JsonMapper.shared();

	private final RestClient client;

	SampleHttp(int port) {
		this.client = RestClient.builder().baseUrl("http://localhost:" + port).build();
	}

	Response get(String path) {
		return get(path, ANONYMOUS);
	}

	Response get(String path, Consumer<HttpHeaders> credentials) {
		return exchange(this.client.get().uri(path).headers(credentials));
	}

	Response post(String path, Consumer<HttpHeaders> credentials, String jsonBody) {
		return exchange(this.client.post()
			.uri(path)
			.headers(credentials)
			.contentType(MediaType.APPLICATION_JSON)
			.body(jsonBody));
	}

	Response delete(String path) {
		return exchange(this.client.delete().uri(path));
	}

	/**
	 * The events in the local store, newest first, each as the event JSON Sentry would receive.
	 * The only method that depends on the endpoint's response shape.
	 */
	List<JsonNode> storedEvents() {
		Response response = get("/actuator/sentry");
		assertThat(response.status()).as("GET /actuator/sentry: %s", response.body()).isEqualTo(200);
		JsonNode root = response.json();
		JsonNode array = root.isArray() ? root : root.path("events");
		assertThat(array.isArray()).as("events array in %s", root).isTrue();
		List<JsonNode> events = new ArrayList<>();
		for (JsonNode element : array.values()) {
			events.add(element.has("event") ? element.get("event") : element);
		}
		return events;
	}

	void clearStoredEvents() {
		Response response = delete("/actuator/sentry");
		assertThat(response.status()).as("DELETE /actuator/sentry: %s", response.body()).isBetween(200, 299);
		assertThat(storedEvents()).isEmpty();
	}

	/**
	 * Waits until the store holds {@code count} events, then checks there are no more. Capture
	 * happens when the response completes, so the client can see the response slightly earlier.
	 */
	List<JsonNode> awaitStoredEvents(int count) {
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> storedEvents().size() >= count);
		List<JsonNode> events = storedEvents();
		assertThat(events).as("stored events").hasSize(count);
		return events;
	}

	private Response exchange(RestClient.RequestHeadersSpec<?> request) {
		return request.exchange((req, res) -> new Response(res.getStatusCode().value(), res.getHeaders(),
				new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8)));
	}

	record Response(int status, HttpHeaders headers, String body) {

		JsonNode json() {
			try {
				return SampleHttp.json.readTree(this.body);
			}
			catch (RuntimeException ex) {
				throw new AssertionError("Not JSON (status " + this.status + "): " + this.body, ex);
			}
		}

	}

	/** Reading Sentry's event JSON (the SDK's format, independent of the store). */
	static final class Events {

		private Events() {
		}

		/** The reported exception's class name: the last value is the one that was thrown. */
		static String exceptionType(JsonNode event) {
			List<String> types = exceptionTypes(event);
			assertThat(types).as("exception values of %s", event).isNotEmpty();
			return types.get(types.size() - 1);
		}

		/** Class names of the exception and its causes, innermost cause first (as Sentry sends them). */
		static List<String> exceptionTypes(JsonNode event) {
			List<String> types = new ArrayList<>();
			for (JsonNode value : event.path("exception").path("values").values()) {
				String module = value.path("module").asString("");
				String type = value.path("type").asString();
				types.add(module.isEmpty() ? type : module + "." + type);
			}
			return types;
		}

		static String tag(JsonNode event, String name) {
			JsonNode tags = event.path("tags");
			return tags.has(name) ? tags.get(name).asString() : null;
		}

	}

}
