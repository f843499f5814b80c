package dev.sentryboot.autoconfigure.actuate;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.sentryboot.autoconfigure.SentrySdk;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sentry.SentryEvent;
import io.sentry.protocol.Message;
import io.sentry.protocol.SentryId;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.sentryboot.autoconfigure.testsupport.SentryWireTests;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator side of Sentry in a real application on a random port, against the in-test
 * Sentry endpoint: health, metrics, Prometheus, info and the delivery status of the endpoint.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sentry.environment=staging", "sentry.release=shop@1.2.3", "sentry.enable-tracing=false",
				"sentry.local.enabled=true", "sentry.ignored-exceptions=java.lang.UnsupportedOperationException",
				"sentry.cache-retry-interval=1h",
				"management.endpoints.web.exposure.include=health,info,prometheus,sentry",
				"management.endpoint.health.show-details=always", "management.endpoint.health.probes.enabled=true" })
class SentryActuatorWireTests extends SentryWireTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	private SentrySdk sdk;

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private HealthEndpointGroups groups;

	@DynamicPropertySource
	static void cacheDir(DynamicPropertyRegistry registry) throws IOException {
		Path dir = Files.createTempDirectory("sentry-actuate-cache");
		registry.add("sentry.cache-dir-path", dir::toString);
	}

	@Test
	void healthIsUpWithDeliveryDetailsAndNeverTheKey() throws Exception {
		captureError("delivered");

		HttpResponse<String> response = http().get("/actuator/health");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).doesNotContain(sentry.dsn()).doesNotContain("testkey");
		JsonNode health = JSON.readTree(response.body());
		assertThat(health.path("status").asString()).isEqualTo("UP");
		JsonNode component = health.path("components").path("sentry");
		assertThat(component.path("status").asString()).isEqualTo("UP");
		JsonNode details = component.path("details");
		assertThat(details.path("dsn").path("host").asString()).isEqualTo("127.0.0.1:" + sentry.port());
		assertThat(details.path("dsn").path("projectId").asString()).isEqualTo("42");
		assertThat(details.path("environment").asString()).isEqualTo("staging");
		assertThat(details.path("release").asString()).isEqualTo("shop@1.2.3");
		assertThat(details.path("lastDelivery").asString()).isEqualTo("succeeded");
		assertThat(details.path("queued").asLong()).isZero();
		assertThat(details.path("diskCached").isNumber()).isTrue();
		assertThat(details.has("rateLimited")).isFalse();
	}

	@Test
	void deliveryFailuresShowInDetailsWhileTheApplicationStaysUp() throws Exception {
		double sendErrors = count("error", "dropped", "send_error");
		double cached = count("error", "cached", "network_error");
		sentry.respondWith(500);

		SentryId rejected = captureError("answered with 500");

		HttpResponse<String> response = http().get("/actuator/health");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode health = JSON.readTree(response.body());
		assertThat(health.path("status").asString()).isEqualTo("UP");
		JsonNode details = health.path("components").path("sentry").path("details");
		assertThat(health.path("components").path("sentry").path("status").asString()).isEqualTo("UP");
		assertThat(details.path("lastDelivery").asString()).isEqualTo("failed");
		assertThat(details.path("lastError").path("reason").asString()).isEqualTo("send_error");
		assertThat(details.path("lastError").path("at").asString()).isNotEmpty();
		assertThat(count("error", "dropped", "send_error")).isEqualTo(sendErrors + 1);
		assertThat(deliveryOf(rejected).path("status").asString()).isEqualTo("failed");
		assertThat(deliveryOf(rejected).path("reason").asString()).isEqualTo("send_error");

		sentry.stop();
		try {
			SentryId refused = captureError("connection refused");

			response = http().get("/actuator/health");
			assertThat(response.statusCode()).isEqualTo(200);
			health = JSON.readTree(response.body());
			assertThat(health.path("status").asString()).isEqualTo("UP");
			details = health.path("components").path("sentry").path("details");
			assertThat(details.path("lastError").path("reason").asString()).isEqualTo("network_error");
			assertThat(details.path("lastError").path("message").asString()).contains("disk cache");
			assertThat(details.path("diskCached").asInt()).isPositive();
			assertThat(this.registry.get("sentry.envelopes.cached").gauge().value())
				.isEqualTo(details.path("diskCached").asDouble());
			assertThat(count("error", "cached", "network_error")).isEqualTo(cached + 1);
			assertThat(deliveryOf(refused).path("status").asString()).isEqualTo("failed");
			assertThat(deliveryOf(refused).path("reason").asString()).isEqualTo("network_error");
		}
		finally {
			sentry.start();
		}

		sentry.respondWith(200);
		captureError("back again");
		details = JSON.readTree(http().get("/actuator/health").body())
			.path("components")
			.path("sentry")
			.path("details");
		assertThat(details.path("lastDelivery").asString()).as(details.toString()).isEqualTo("succeeded");
	}

	@Test
	void countsSentAndDroppedEventsByReason() {
		double sent = count("error", "sent", "none");
		double beforeSend = count("error", "dropped", "before_send");
		double ignored = count("error", "dropped", "event_processor");

		captureError("sent one");
		captureError("sent two");
		this.sdk.getScopes().captureMessage(ActuatorTestApplication.DROP_ME);
		this.sdk.getScopes().captureException(new UnsupportedOperationException("ignored by sentry.ignored-exceptions"));
		this.sdk.flush();

		assertThat(count("error", "sent", "none")).isEqualTo(sent + 2);
		assertThat(count("error", "dropped", "before_send")).isEqualTo(beforeSend + 1);
		assertThat(count("error", "dropped", "event_processor")).isEqualTo(ignored + 1);
		assertThat(sentry.events()).hasSize(2);
	}

	@Test
	void sentryIsInNoProbeGroup() throws Exception {
		assertThat(this.groups.getPrimary().isMember("sentry")).isTrue();
		assertThat(this.groups.get("readiness").isMember("sentry")).isFalse();
		assertThat(this.groups.get("liveness").isMember("sentry")).isFalse();

		assertThat(this.groups.get("readiness").isMember("readinessState")).isTrue();

		sentry.respondWith(500);
		captureError("Sentry failing while the probe is asked");
		HttpResponse<String> readiness = http().get("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(readiness.body()).path("status").asString()).isEqualTo("UP");
		assertThat(readiness.body()).doesNotContain("sentry");
	}

	@Test
	void prometheusExposesEventsPerReleaseAndTheQueues() throws Exception {
		captureError("scraped");

		HttpResponse<String> response = http().get("/actuator/prometheus");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).containsPattern(
				"sentry_events_total\\{[^}]*outcome=\"sent\"[^}]*release=\"shop@1.2.3\"[^}]*type=\"error\"[^}]*} [1-9]")
			.contains("sentry_envelopes_queued_envelopes")
			.contains("sentry_envelopes_cached_envelopes");
	}

	@Test
	void infoShowsSdkEnvironmentAndRelease() throws Exception {
		HttpResponse<String> response = http().get("/actuator/info");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).doesNotContain("testkey");
		JsonNode info = JSON.readTree(response.body()).path("sentry");
		assertThat(info.path("sdk").path("name").asString()).isEqualTo("sentry.java");
		assertThat(info.path("sdk").path("version").asString()).isEqualTo("8.53.0");
		assertThat(info.path("enabled").asBoolean()).isTrue();
		assertThat(info.path("environment").asString()).isEqualTo("staging");
		assertThat(info.path("release").asString()).isEqualTo("shop@1.2.3");
	}

	@Test
	void endpointShowsWhatBecameOfEachEvent() throws Exception {
		SentryId sent = captureError("shown as sent");

		assertThat(deliveryOf(sent).path("status").asString()).isEqualTo("sent");
		assertThat(deliveryOf(sent).has("reason")).isFalse();
	}

	private SentryId captureError(String message) {
		SentryId id = this.sdk.getScopes().captureException(new IllegalStateException(message));
		this.sdk.flush();
		return id;
	}

	private JsonNode deliveryOf(SentryId id) throws Exception {
		for (JsonNode event : JSON.readTree(http().get("/actuator/sentry").body())) {
			if (id.toString().equals(event.path("event_id").asString())) {
				return event.path("delivery");
			}
		}
		throw new AssertionError("No event " + id + " at /actuator/sentry");
	}

	private double count(String type, String outcome, String reason) {
		Counter counter = this.registry.find("sentry.events")
			.tags("type", type, "outcome", outcome, "reason", reason)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
