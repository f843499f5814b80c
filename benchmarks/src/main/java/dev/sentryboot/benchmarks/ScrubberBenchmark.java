package dev.sentryboot.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.sentryboot.autoconfigure.scrub.SentryDataScrubber;
import io.sentry.Breadcrumb;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.SpanContext;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import io.sentry.protocol.SentryException;
import io.sentry.protocol.User;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of {@link SentryDataScrubber#scrub(SentryEvent)} on one realistic server-error event: a
 * checkout request with 20 headers and a 1 KB JSON body, 30 breadcrumbs, nested contexts, extras,
 * tags, a five-level exception chain, a user and a message.
 * <p>
 * {@code scrub} changes the event it is given, so every invocation needs a fresh one. Building it
 * in a {@code Level.Invocation} setup would add timer overhead of the same order as what is
 * measured; instead both methods build the same event from the immutable inputs prepared here,
 * and the scrubbing cost is {@code scrub - buildEventOnly} (time and bytes allocated per op).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ScrubberBenchmark {

	// Header, payload and signature of an RS256 token, as a browser would send it.
	private static final String JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjFlOWdkazcifQ"
			+ ".eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS5jb20iLCJzdWIiOiJjLTk4MSIsImF1ZCI6Im9yZGVycyIsImV4cCI6MTczMjI1MDAwMCwiaWF0IjoxNzMyMjQ2NDAwLCJzY29wZSI6Im9yZGVyczp3cml0ZSJ9"
			+ ".NHVaYe26MbtOYhSKkoKYdFVomg4i8ZJd8_-RU8VNbftc4TSMb4bXP3l3YlNWACwyXPGffz5aXHc6lty1Y2t4SWRqGteragsVdZufDn5BlnJl9pdR_kdVFUsra2rWKEofkZeIC4yWytE58sMIihvo9H1ScmmVwBcQP6XETqYd0aSHp1gOa9RdUPDvoXQ5oqygTqVtxaDr6wUFKrKItgBMzWIdNZ6y7O9E0DhEPTbE9rfBo6KTFsHAZnMg4k68CDp2woYIaXbmYTWcvbzIuHO7_37GT79XdIwkm95QJ7hYC9RiwrV7mesbY4PAahERJawntho0my942XheVLmGwLMBkQ";

	private static final String URL = "https://orders.example.com/api/orders/42/checkout";

	private static final String QUERY_STRING = "page=2&size=50&access_token=abc123";

	private static final String COOKIES = "JSESSIONID=6F3A2C8E1B7D4F90A1C2E3D4B5A69788; _ga=GA1.2.1234567890.1700000000; "
			+ "theme=dark; XSRF-TOKEN=3f1c9a7e-5b2d-4e8f-9a6c-1d0b2e3f4a5b";

	private static final String BODY = "{\"orderId\":42,\"currency\":\"EUR\",\"channel\":\"web\","
			+ "\"customer\":{\"id\":\"c-981\",\"name\":\"Alice Example\",\"email\":\"alice@example.com\","
			+ "\"phone\":\"+49 30 1234567\",\"password\":\"hunter2-Secret!\",\"newsletter\":true},"
			+ "\"shippingAddress\":{\"street\":\"Hauptstrasse 5\",\"city\":\"Berlin\",\"zip\":\"10115\",\"country\":\"DE\"},"
			+ "\"billingAddress\":{\"street\":\"Hauptstrasse 5\",\"city\":\"Berlin\",\"zip\":\"10115\",\"country\":\"DE\"},"
			+ "\"items\":["
			+ "{\"sku\":\"SKU-1001\",\"name\":\"Espresso beans 1kg\",\"qty\":2,\"unitPrice\":19.99,\"tags\":[\"coffee\",\"beans\"]},"
			+ "{\"sku\":\"SKU-2040\",\"name\":\"Milk frother\",\"qty\":1,\"unitPrice\":49.90,\"tags\":[\"kitchen\"]},"
			+ "{\"sku\":\"SKU-3307\",\"name\":\"Ceramic cup set (4)\",\"qty\":1,\"unitPrice\":24.50,\"tags\":[\"kitchen\",\"gift\"]},"
			+ "{\"sku\":\"SKU-0815\",\"name\":\"Descaler 500ml\",\"qty\":3,\"unitPrice\":5.99,\"tags\":[]}"
			+ "],"
			+ "\"payment\":{\"method\":\"card\",\"cardholder\":\"Alice Example\",\"cardNumber\":\"4111 1111 1111 1111\","
			+ "\"expiry\":\"12/29\",\"saveCard\":false,\"threeDSecure\":{\"version\":\"2.2\",\"challenge\":\"frictionless\"}},"
			+ "\"totals\":{\"net\":130.36,\"tax\":24.77,\"shipping\":4.90,\"gross\":160.03},"
			+ "\"couponCode\":\"SPRING10\",\"giftWrap\":false,"
			+ "\"notes\":\"Please leave the parcel at the door and ring twice, thanks!\"}";

	private static final Map<String, String> HEADERS = ordered(
			"Host", "orders.example.com",
			"Accept", "application/json, text/plain, */*",
			"Accept-Encoding", "gzip, deflate, br",
			"Accept-Language", "en-US,en;q=0.9,de;q=0.8",
			"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
			"Content-Type", "application/json; charset=UTF-8",
			"Content-Length", String.valueOf(BODY.length()),
			"Connection", "keep-alive",
			"Origin", "https://shop.example.com",
			"Referer", "https://shop.example.com/checkout?step=payment",
			"X-Request-Id", "9b2f0c6e-3a41-4d7b-8e55-0f1a2b3c4d5e",
			"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
			"tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
			"sentry-trace", "4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
			"baggage", "sentry-trace_id=4bf92f3577b34da6a3ce929d0e0e4736,sentry-environment=production,sentry-release=orders%401.4.2",
			"X-Forwarded-For", "203.0.113.7, 10.0.0.12",
			"X-Forwarded-Proto", "https",
			"Cache-Control", "no-cache",
			"Authorization", "Bearer " + JWT,
			"X-Api-Key", "sk_live_51HxYzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789");

	private static final Map<String, String> TAGS = ordered(
			"http.method", "POST",
			"http.route", "/api/orders/{id}/checkout",
			"http.status_code", "500",
			"payment.provider", "stripe",
			"region", "eu-west-1");

	private static final Map<String, Object> EXTRAS = ordered(
			"orderId", 42,
			"retryCount", 2,
			"featureFlags", List.of("new-checkout", "3ds-v2", "express-shipping"),
			"paymentIntent", "pi_3N8xYzKZ2bV0aQ1c0mTq9sLk",
			"gatewayResponse", "status=402 code=card_declined decline_code=insufficient_funds",
			"idempotencyKey", "order-42-attempt-2");

	// Three levels: context -> map -> map/list -> map.
	private static final Map<String, Object> ORDER_CONTEXT = ordered(
			"id", 42,
			"status", "PAYMENT_PENDING",
			"createdAt", "2024-11-22T05:31:07Z",
			"customer", ordered("id", "c-981", "tier", "gold", "email", "alice@example.com",
					"address", ordered("city", "Berlin", "zip", "10115", "country", "DE")),
			"items", List.of(ordered("sku", "SKU-1001", "qty", 2, "price", ordered("amount", 19.99, "currency", "EUR")),
					ordered("sku", "SKU-2040", "qty", 1, "price", ordered("amount", 49.90, "currency", "EUR")),
					ordered("sku", "SKU-3307", "qty", 1, "price", ordered("amount", 24.50, "currency", "EUR"))));

	private static final Map<String, Object> PAYMENT_CONTEXT = ordered(
			"provider", "stripe",
			"attempt", 2,
			"card", ordered("brand", "visa", "last4", "1111", "expMonth", 12, "expYear", 2029,
					"checks", ordered("cvcCheck", "pass", "addressLineCheck", "unavailable")),
			"gateway", ordered("endpoint", "https://api.stripe.com/v1/charges", "timeoutMs", 3000,
					"headers", ordered("Idempotency-Key", "order-42-attempt-2", "Stripe-Version", "2024-06-20",
							"Authorization", "Bearer sk_live_51HxYzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789")),
			"history", List.of(ordered("at", "2024-11-22T05:31:05Z", "result", "timeout"),
					ordered("at", "2024-11-22T05:31:07Z", "result", "declined")));

	private static final Map<String, Object> DEPLOYMENT_CONTEXT = ordered(
			"cluster", "prod-eu-1",
			"pod", "orders-7d9c6b5f4-x2k8p",
			"image", "registry.example.com/orders:1.4.2",
			"labels", ordered("team", "checkout", "tier", "backend",
					"rollout", ordered("strategy", "canary", "weight", 20)),
			"jvm", List.of("-Xmx1g", "-XX:+UseG1GC", "-Dspring.profiles.active=prod"));

	private static final List<BreadcrumbInput> BREADCRUMBS = breadcrumbs();

	private static final List<ExceptionInput> EXCEPTIONS = List.of(
			new ExceptionInput("SocketTimeoutException", "java.net", "Read timed out"),
			new ExceptionInput("ResourceAccessException", "org.springframework.web.client",
					"I/O error on POST request for \"https://api.stripe.com/v1/charges\": Read timed out"),
			new ExceptionInput("PaymentGatewayException", "com.example.orders.payment",
					"Gateway call failed after 2 attempts (idempotencyKey=order-42-attempt-2)"),
			new ExceptionInput("PaymentException", "com.example.orders.payment",
					"Failed to charge card 4111111111111111 for order 42"),
			new ExceptionInput("CheckoutFailedException", "com.example.orders.web",
					"Checkout failed for order 42 (customer c-981)"));

	private SentryDataScrubber scrubber;

	@Setup
	public void setUp() {
		// One scrubber for the whole run, as the application context holds one.
		this.scrubber = SentryDataScrubber.builder().build();
		checkScrubsWithoutFallback(this.scrubber.scrub(buildEvent()));
	}

	@Benchmark
	public SentryEvent scrub() {
		return this.scrubber.scrub(buildEvent());
	}

	@Benchmark
	public SentryEvent buildEventOnly() {
		return buildEvent();
	}

	static SentryEvent buildEvent() {
		SentryEvent event = new SentryEvent();
		event.setLevel(SentryLevel.ERROR);
		event.setLogger("com.example.orders.web.CheckoutController");
		event.setTransaction("POST /api/orders/{id}/checkout");
		event.setPlatform("java");
		event.setRelease("orders@1.4.2");
		event.setEnvironment("production");
		event.setServerName("orders-7d9c6b5f4-x2k8p");

		Request request = new Request();
		request.setMethod("POST");
		request.setUrl(URL);
		request.setQueryString(QUERY_STRING);
		request.setHeaders(HEADERS);
		request.setCookies(COOKIES);
		request.setData(BODY);
		request.setBodySize((long) BODY.length());
		event.setRequest(request);

		User user = new User();
		user.setId("c-981");
		user.setUsername("alice");
		user.setEmail("alice@example.com");
		user.setIpAddress("203.0.113.7");
		event.setUser(user);

		Message message = new Message();
		message.setMessage("Payment for order %s failed after %s attempts: card_declined");
		message.setFormatted("Payment for order 42 failed after 2 attempts: card_declined");
		message.setParams(List.of("42", "2"));
		event.setMessage(message);

		List<SentryException> exceptions = new ArrayList<>(EXCEPTIONS.size());
		for (ExceptionInput input : EXCEPTIONS) {
			SentryException exception = new SentryException();
			exception.setType(input.type());
			exception.setModule(input.module());
			exception.setValue(input.value());
			exceptions.add(exception);
		}
		event.setExceptions(exceptions);

		event.setTags(TAGS);
		event.setExtras(EXTRAS);

		SpanContext trace = new SpanContext("http.server");
		trace.setDescription("POST /api/orders/{id}/checkout");
		trace.setData("http.request.method", "POST");
		trace.setData("url.path", "/api/orders/42/checkout");
		event.getContexts().setTrace(trace);
		event.getContexts().put("order", ORDER_CONTEXT);
		event.getContexts().put("payment", PAYMENT_CONTEXT);
		event.getContexts().put("deployment", DEPLOYMENT_CONTEXT);

		List<Breadcrumb> breadcrumbs = new ArrayList<>(BREADCRUMBS.size());
		for (BreadcrumbInput input : BREADCRUMBS) {
			Breadcrumb breadcrumb = new Breadcrumb();
			breadcrumb.setType(input.type());
			breadcrumb.setCategory(input.category());
			breadcrumb.setLevel(input.level());
			if (input.message() != null) {
				breadcrumb.setMessage(input.message());
			}
			for (Map.Entry<String, Object> entry : input.data().entrySet()) {
				breadcrumb.setData(entry.getKey(), entry.getValue());
			}
			breadcrumbs.add(breadcrumb);
		}
		event.setBreadcrumbs(breadcrumbs);
		return event;
	}

	/**
	 * A scrubber that fell back on a field (dropped or replaced it because scrubbing threw) does
	 * less work than a working one: measuring that would flatter it.
	 */
	private static void checkScrubsWithoutFallback(SentryEvent event) {
		List<String> problems = new ArrayList<>();
		if (event.getRequest() == null || event.getRequest().getHeaders() == null
				|| event.getRequest().getHeaders().size() != HEADERS.size()) {
			problems.add("request or its headers");
		}
		if (event.getExceptions() == null || event.getExceptions().size() != EXCEPTIONS.size()) {
			problems.add("exceptions");
		}
		if (event.getBreadcrumbs() == null || event.getBreadcrumbs().size() != BREADCRUMBS.size()) {
			problems.add("breadcrumbs");
		}
		if (!(event.getContexts().get("order") instanceof Map<?, ?>)
				|| !(event.getContexts().get("payment") instanceof Map<?, ?>)) {
			problems.add("contexts");
		}
		if (event.getMessage() == null || event.getUser() == null || event.getExtras() == null
				|| event.getTags() == null) {
			problems.add("message, user, extras or tags");
		}
		if (!problems.isEmpty()) {
			throw new IllegalStateException("The scrubber dropped parts of the benchmark event " + problems
					+ ": it fell back instead of scrubbing, so its cost would be understated");
		}
	}

	private static List<BreadcrumbInput> breadcrumbs() {
		List<BreadcrumbInput> crumbs = new ArrayList<>();
		crumbs.add(navigation("/", "/products"));
		crumbs.add(http("GET", "https://catalog.internal/api/products?page=1&size=50", 200));
		crumbs.add(query("select p.id, p.sku, p.name, p.price from products p where p.active = ? order by p.name limit ?"));
		crumbs.add(log(SentryLevel.INFO, "com.example.orders.web.ProductController", "Listed 50 products in 38 ms"));
		crumbs.add(navigation("/products", "/cart"));
		crumbs.add(http("GET", "https://cart.internal/api/carts/c-981", 200));
		crumbs.add(query("select * from carts where customer_id = ?"));
		crumbs.add(query("select ci.* from cart_items ci where ci.cart_id = ?"));
		crumbs.add(log(SentryLevel.DEBUG, "com.example.orders.cart.CartService", "Cart c-981 has 4 items, total 160.03 EUR"));
		crumbs.add(navigation("/cart", "/checkout"));
		crumbs.add(log(SentryLevel.INFO, "com.example.orders.security.LoginListener",
				"User alice (alice@example.com) authenticated via oauth2"));
		crumbs.add(http("POST", "https://auth.example.com/oauth/token", 200));
		crumbs.add(query("insert into orders (customer_id, status, currency, total) values (?, ?, ?, ?)"));
		crumbs.add(query("insert into order_items (order_id, sku, qty, unit_price) values (?, ?, ?, ?)"));
		crumbs.add(log(SentryLevel.INFO, "com.example.orders.OrderService", "Created order 42 for customer c-981"));
		crumbs.add(query("select * from orders where id = ?"));
		crumbs.add(http("GET", "https://inventory.internal/api/stock?skus=SKU-1001,SKU-2040,SKU-3307,SKU-0815", 200));
		crumbs.add(log(SentryLevel.DEBUG, "com.example.orders.inventory.StockClient", "Reserved 7 units for order 42"));
		crumbs.add(query("update inventory set reserved = reserved + ? where sku = ?"));
		crumbs.add(navigation("/checkout", "/checkout/payment"));
		crumbs.add(log(SentryLevel.INFO, "com.example.orders.payment.PaymentService",
				"Charging order 42 amount=160.03 EUR with token=tok_1N3abcDEF456ghiJKL"));
		crumbs.add(http("POST", "https://api.stripe.com/v1/charges", 504));
		crumbs.add(log(SentryLevel.WARNING, "com.example.orders.payment.PaymentService",
				"Payment gateway timed out after 3000 ms, retrying (attempt 2 of 2)"));
		crumbs.add(http("POST", "https://api.stripe.com/v1/charges", 402));
		crumbs.add(query("update orders set status = ?, updated_at = ? where id = ?"));
		crumbs.add(log(SentryLevel.WARNING, "com.example.orders.payment.PaymentService",
				"Card declined for order 42: insufficient_funds"));
		crumbs.add(query("insert into payment_attempts (order_id, attempt, result, gateway_ref) values (?, ?, ?, ?)"));
		crumbs.add(log(SentryLevel.ERROR, "com.example.orders.web.CheckoutController",
				"Checkout failed for order 42, answering 500"));
		crumbs.add(new BreadcrumbInput("default", "security", SentryLevel.INFO, "Session refreshed",
				ordered("sessionId", "6F3A2C8E1B7D4F90A1C2E3D4B5A69788", "expiresIn", 1800)));
		crumbs.add(new BreadcrumbInput("http", "http", SentryLevel.INFO, null,
				ordered("url", "https://orders.example.com/api/orders/42/checkout?page=2&size=50&access_token=abc123",
						"method", "POST", "status_code", 500, "reason", "Internal Server Error")));
		if (crumbs.size() != 30) {
			throw new IllegalStateException("expected 30 breadcrumbs, built " + crumbs.size());
		}
		return List.copyOf(crumbs);
	}

	private static BreadcrumbInput navigation(String from, String to) {
		return new BreadcrumbInput("navigation", "navigation", SentryLevel.INFO, null, ordered("from", from, "to", to));
	}

	private static BreadcrumbInput http(String method, String url, int status) {
		return new BreadcrumbInput("http", "http", (status >= 500) ? SentryLevel.ERROR : SentryLevel.INFO, null,
				ordered("url", url, "method", method, "status_code", status));
	}

	private static BreadcrumbInput query(String sql) {
		return new BreadcrumbInput("query", "db.sql.query", SentryLevel.INFO, sql, Map.of());
	}

	private static BreadcrumbInput log(SentryLevel level, String logger, String message) {
		return new BreadcrumbInput("default", logger, level, message, Map.of());
	}

	/** An unmodifiable map that keeps the given order (Map.of would change it from run to run). */
	@SuppressWarnings("unchecked")
	private static <V> Map<String, V> ordered(Object... keysAndValues) {
		Map<String, V> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
		}
		return Collections.unmodifiableMap(map);
	}

	private record BreadcrumbInput(String type, String category, SentryLevel level, String message,
			Map<String, Object> data) {
	}

	private record ExceptionInput(String type, String module, String value) {
	}

}
