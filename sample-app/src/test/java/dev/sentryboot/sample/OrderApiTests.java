package dev.sentryboot.sample;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.sentryboot.sample.SampleHttp.ALICE;
import static dev.sentryboot.sample.SampleHttp.BOB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The orders API itself, over real HTTP, as a client sees it. Nothing here fails with a 5xx, so
 * no event from these tests can reach the store that {@link SentryCaptureTests} reads (both share
 * one application context); the failing invoice is tested there.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sentry.dsn=")
class OrderApiTests {

	@LocalServerPort
	int port;

	SampleHttp http;

	@BeforeEach
	void setUp() {
		this.http = new SampleHttp(this.port);
	}

	@Test
	void listsOrdersForLoggedInUser() {
		SampleHttp.Response response = this.http.get("/api/orders", ALICE);
		assertThat(response.status()).isEqualTo(200);
		JsonNode orders = response.json();
		assertThat(orders.isArray()).isTrue();
		assertThat(orders.size()).isGreaterThanOrEqualTo(3);
		assertThat(orders.get(0).path("product").asString()).isEqualTo("Mechanical keyboard");
	}

	@Test
	void rejectsAnonymousUserWith401() {
		SampleHttp.Response response = this.http.get("/api/orders");
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.headers().getFirst("WWW-Authenticate")).startsWith("Basic");
	}

	@Test
	void rejectsWrongPasswordWith401() {
		SampleHttp.Response response = this.http.get("/api/orders",
				(headers) -> headers.setBasicAuth("alice", "not-alice-password"));
		assertThat(response.status()).isEqualTo(401);
	}

	@Test
	void getsOneOrder() {
		SampleHttp.Response response = this.http.get("/api/orders/2", BOB);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().path("product").asString()).isEqualTo("USB-C dock");
		assertThat(response.json().path("quantity").asInt()).isEqualTo(2);
	}

	@Test
	void missingOrderIs404Problem() {
		SampleHttp.Response response = this.http.get("/api/orders/999", ALICE);
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.json().path("detail").asString()).isEqualTo("No order 999");
	}

	@Test
	void createsOrderForLoggedInUser() {
		SampleHttp.Response response = this.http.post("/api/orders", ALICE,
				"{\"product\":\"Webcam\",\"quantity\":3,\"country\":\"AT\"}");
		assertThat(response.status()).isEqualTo(201);
		JsonNode order = response.json();
		assertThat(order.path("customer").asString()).isEqualTo("alice");
		assertThat(order.path("country").asString()).isEqualTo("AT");
		assertThat(response.headers().getLocation()).hasPath("/api/orders/" + order.path("id").asLong());
		assertThat(this.http.get("/api/orders/" + order.path("id").asLong(), ALICE).status()).isEqualTo(200);
	}

	@Test
	void invalidOrderIs400() {
		SampleHttp.Response response = this.http.post("/api/orders", ALICE, "{\"product\":\" \",\"quantity\":0}");
		assertThat(response.status()).isEqualTo(400);
	}

	@Test
	void rendersInvoice() {
		SampleHttp.Response response = this.http.get("/api/orders/1/invoice", ALICE);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).contains("Invoice for order #1").contains("VAT: 19.0%");
	}

	@Test
	void otherActuatorEndpointsNeedAdmin() {
		assertThat(this.http.get("/actuator/health").status()).isEqualTo(200);
		assertThat(this.http.get("/actuator/env", ALICE).status()).isIn(403, 404);
	}

}
