package dev.sentryboot.autoconfigure.testsupport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Sentry envelope endpoint on 127.0.0.1, so tests assert on what actually leaves the
 * process instead of on mocks of the SDK.
 */
public final class SentryTestServer implements AutoCloseable {

	public static final String DEFAULT_PUBLIC_KEY = "testkey";

	public static final String DEFAULT_PROJECT_ID = "42";

	private static final Pattern ENVELOPE_PATH = Pattern.compile("^/api/([^/]+)/envelope/?$");

	// Everything else in Sentry's item type list is JSON; these carry opaque bytes.
	private static final Set<String> BINARY_ITEM_TYPES = Set.of("attachment", "replay_recording", "replay_video");

	private static final ObjectMapper JSON = JsonMapper.builder().build();

	private static final Duration REBIND_PATIENCE = Duration.ofSeconds(5);

	private final String publicKey;

	private final String projectId;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition arrived = this.lock.newCondition();

	private final List<Envelope> envelopes = new ArrayList<>();

	private final List<String> decodeErrors = new ArrayList<>();

	private final AtomicInteger threadCount = new AtomicInteger();

	private volatile Response response = Response.DEFAULT;

	private volatile Duration delay = Duration.ZERO;

	private RawListener raw;

	private int port;

	private HttpServer server;

	private ExecutorService executor;

	public SentryTestServer() {
		this(DEFAULT_PUBLIC_KEY, DEFAULT_PROJECT_ID);
	}

	public SentryTestServer(String publicKey, String projectId) {
		this.publicKey = publicKey;
		this.projectId = projectId;
		start();
	}

	public String dsn() {
		return "http://" + this.publicKey + "@127.0.0.1:" + port() + "/" + this.projectId;
	}

	public synchronized int port() {
		return this.port;
	}

	public synchronized boolean isRunning() {
		return this.server != null;
	}

	/** Binds again to the port of the first start, so clients configured with {@link #dsn()} reconnect. */
	public synchronized void start() {
		closeRaw();
		if (this.server != null) {
			return;
		}
		HttpServer created = bind();
		ExecutorService pool = Executors.newFixedThreadPool(4, (runnable) -> {
			Thread thread = new Thread(runnable, "sentry-test-server-" + this.threadCount.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		created.createContext("/", this::handle);
		created.setExecutor(pool);
		created.start();
		this.server = created;
		this.executor = pool;
		this.port = created.getAddress().getPort();
	}

	/** Closes the socket: clients now get "connection refused", as if Sentry went away. */
	public synchronized void stop() {
		closeRaw();
		if (this.server == null) {
			return;
		}
		this.server.stop(0);
		this.executor.shutdown();
		try {
			// In-flight handlers must finish so nothing is recorded after stop() returns.
			this.executor.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.server = null;
		this.executor = null;
	}

	@Override
	public void close() {
		stop();
	}

	public void respondWith(int status) {
		respondWith(status, Map.of());
	}

	public void respondWith(int status, Map<String, String> headers) {
		this.response = new Response(status, Map.copyOf(headers));
	}

	/** Answers every envelope (recorded first) only after this delay, as a slow Sentry does. */
	public void respondAfter(Duration delay) {
		this.delay = delay;
	}

	/**
	 * Accepts TCP connections on the same port but never reads nor answers, as a black-holed
	 * route or a hung proxy does. {@link #start()} answers again.
	 */
	public synchronized void blackHole() {
		stop();
		this.raw = new RawListener(this.port, null);
	}

	/** Answers every connection with bytes that are not HTTP, then closes it. */
	public synchronized void answerGarbage() {
		stop();
		this.raw = new RawListener(this.port, "\u0000\u00ffnot http at all\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
	}

	/** Connections the black hole or the garbage listener accepted so far. */
	public synchronized int rawConnections() {
		return (this.raw != null) ? this.raw.accepted.get() : 0;
	}

	private void closeRaw() {
		if (this.raw != null) {
			this.raw.close();
			this.raw = null;
		}
	}

	public List<Envelope> envelopes() {
		this.lock.lock();
		try {
			return List.copyOf(this.envelopes);
		}
		finally {
			this.lock.unlock();
		}
	}

	public List<JsonNode> events() {
		return payloadsOfType(envelopes(), "event");
	}

	public List<JsonNode> transactions() {
		return payloadsOfType(envelopes(), "transaction");
	}

	public List<String> decodeErrors() {
		this.lock.lock();
		try {
			return List.copyOf(this.decodeErrors);
		}
		finally {
			this.lock.unlock();
		}
	}

	public List<JsonNode> awaitEvents(int count, Duration timeout) {
		List<Envelope> received = awaitUntil(timeout, () -> payloadsOfType(this.envelopes, "event").size() >= count);
		List<JsonNode> events = payloadsOfType(received, "event");
		if (events.size() < count) {
			throw new AssertionError("Expected at least " + count + " event(s) within " + timeout + " but got "
					+ events.size() + ". " + describe(received));
		}
		return events;
	}

	public List<JsonNode> awaitTransactions(int count, Duration timeout) {
		List<Envelope> received = awaitUntil(timeout,
				() -> payloadsOfType(this.envelopes, "transaction").size() >= count);
		List<JsonNode> transactions = payloadsOfType(received, "transaction");
		if (transactions.size() < count) {
			throw new AssertionError("Expected at least " + count + " transaction(s) within " + timeout + " but got "
					+ transactions.size() + ". " + describe(received));
		}
		return transactions;
	}

	/** The breadcrumbs of an event with this category, in order. */
	public static List<JsonNode> breadcrumbs(JsonNode event, String category) {
		List<JsonNode> selected = new ArrayList<>();
		JsonNode values = event.path("breadcrumbs").path("values");
		for (JsonNode crumb : (values.isArray() ? values : event.path("breadcrumbs"))) {
			if (category.equals(crumb.path("category").asString())) {
				selected.add(crumb);
			}
		}
		return selected;
	}

	/** The spans of a transaction with this operation, by start time. */
	public static List<JsonNode> spans(JsonNode transaction, String operation) {
		List<JsonNode> selected = new ArrayList<>();
		for (JsonNode span : transaction.path("spans")) {
			if (operation.equals(span.path("op").asString())) {
				selected.add(span);
			}
		}
		selected.sort((a, b) -> Double.compare(a.path("start_timestamp").asDouble(),
				b.path("start_timestamp").asDouble()));
		return selected;
	}

	public List<Envelope> awaitEnvelopes(int count, Duration timeout) {
		List<Envelope> received = awaitUntil(timeout, () -> this.envelopes.size() >= count);
		if (received.size() < count) {
			throw new AssertionError("Expected at least " + count + " envelope(s) within " + timeout + " but got "
					+ received.size() + ". " + describe(received));
		}
		return received;
	}

	public void reset() {
		this.lock.lock();
		try {
			this.envelopes.clear();
			this.decodeErrors.clear();
		}
		finally {
			this.lock.unlock();
		}
	}

	private HttpServer bind() {
		InetAddress loopback = InetAddress.getLoopbackAddress();
		long deadline = System.nanoTime() + REBIND_PATIENCE.toNanos();
		while (true) {
			try {
				// The JDK server socket channel enables SO_REUSEADDR, so lingering TIME_WAIT
				// connections do not block the rebind; only a real foreign listener does.
				return HttpServer.create(new InetSocketAddress(loopback, this.port), 50);
			}
			catch (BindException ex) {
				if (this.port == 0 || System.nanoTime() > deadline) {
					throw new UncheckedIOException("Cannot bind 127.0.0.1:" + this.port, ex);
				}
				sleepBriefly();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	private List<Envelope> awaitUntil(Duration timeout, BooleanSupplier done) {
		long remaining = timeout.toNanos();
		this.lock.lock();
		try {
			while (!done.getAsBoolean() && remaining > 0) {
				remaining = this.arrived.awaitNanos(remaining);
			}
			return List.copyOf(this.envelopes);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for envelopes", ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	private String describe(List<Envelope> received) {
		String items = received.stream()
			.map((envelope) -> envelope.items().stream().map(Item::type).collect(Collectors.joining(",", "[", "]")))
			.collect(Collectors.joining(" "));
		List<String> errors = decodeErrors();
		return "Received " + received.size() + " envelope(s) with item types: "
				+ (received.isEmpty() ? "none" : items) + "; decode errors: " + (errors.isEmpty() ? "none" : errors)
				+ "; server " + (isRunning() ? "running" : "stopped") + " on " + dsn();
	}

	private void handle(HttpExchange exchange) {
		try (exchange) {
			String method = exchange.getRequestMethod();
			String path = exchange.getRequestURI().getPath();
			Matcher matcher = ENVELOPE_PATH.matcher(path);
			if (!matcher.matches() || !"POST".equals(method)) {
				recordError(method + " " + path + ": not the envelope endpoint");
				reply(exchange, matcher.matches() ? 405 : 404, Map.of(), error("not the envelope endpoint"));
				return;
			}
			Response current = this.response;
			Decoded decoded;
			try {
				decoded = decode(exchange);
			}
			catch (DecodeException ex) {
				recordError(method + " " + path + ": " + ex.getMessage());
				reply(exchange, 400, Map.of(), error(ex.getMessage()));
				return;
			}
			// Recorded before answering, so a test that waited for the response sees the envelope.
			record(new Envelope(matcher.group(1), copyHeaders(exchange), decoded.header(), decoded.items(),
					current.status()));
			byte[] body = (current.status() >= 200 && current.status() < 300)
					? ("{\"id\":\"" + eventId(decoded) + "\"}").getBytes(StandardCharsets.UTF_8)
					: error("SentryTestServer configured to respond " + current.status());
			Duration wait = this.delay;
			if (!wait.isZero()) {
				Thread.sleep(wait.toMillis());
			}
			reply(exchange, current.status(), current.headers(), body);
		}
		catch (Throwable ex) {
			// An exception escaping a JDK HttpServer handler silently drops the connection;
			// make it visible instead. The answer itself may have failed, nothing more to do.
			recordError("handler failure: " + ex);
		}
	}

	private static Decoded decode(HttpExchange exchange) throws DecodeException {
		byte[] body;
		String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
		try (InputStream raw = exchange.getRequestBody()) {
			body = raw.readAllBytes();
			if (encoding != null && encoding.trim().equalsIgnoreCase("gzip")) {
				try (InputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(body))) {
					body = gunzip.readAllBytes();
				}
			}
			else if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
				throw new DecodeException("unsupported Content-Encoding '" + encoding + "'");
			}
		}
		catch (IOException ex) {
			throw new DecodeException("cannot read body (Content-Encoding " + encoding + "): " + ex);
		}
		return decode(body);
	}

	static Decoded decode(byte[] body) throws DecodeException {
		if (body.length == 0) {
			throw new DecodeException("empty body");
		}
		int headerEnd = indexOf(body, (byte) '\n', 0);
		JsonNode header = jsonObject(body, 0, (headerEnd < 0) ? body.length : headerEnd, "envelope header");
		List<Item> items = new ArrayList<>();
		int position = (headerEnd < 0) ? body.length : headerEnd + 1;
		while (position < body.length) {
			String where = "item " + items.size();
			int itemHeaderEnd = indexOf(body, (byte) '\n', position);
			if (itemHeaderEnd < 0) {
				throw new DecodeException(where + ": item header has no terminating newline");
			}
			JsonNode itemHeader = jsonObject(body, position, itemHeaderEnd, where + " header");
			String type = itemHeader.path("type").asString("");
			if (type.isEmpty()) {
				throw new DecodeException(where + ": item header has no type: " + itemHeader);
			}
			int payloadStart = itemHeaderEnd + 1;
			int payloadEnd;
			JsonNode length = itemHeader.path("length");
			if (length.isMissingNode() || length.isNull()) {
				int newline = indexOf(body, (byte) '\n', payloadStart);
				payloadEnd = (newline < 0) ? body.length : newline;
			}
			else {
				if (!length.isIntegralNumber() || length.asLong() < 0) {
					throw new DecodeException(where + " (" + type + "): invalid length " + length);
				}
				if (length.asLong() > body.length - payloadStart) {
					throw new DecodeException(where + " (" + type + "): length " + length + " but only "
							+ (body.length - payloadStart) + " bytes left");
				}
				payloadEnd = payloadStart + length.asInt();
				if (payloadEnd < body.length && body[payloadEnd] != '\n') {
					throw new DecodeException(where + " (" + type + "): payload of declared length " + length
							+ " is not followed by a newline");
				}
			}
			byte[] payload = Arrays.copyOfRange(body, payloadStart, payloadEnd);
			items.add(new Item(type, itemHeader, isJson(type, itemHeader) ? json(payload, where + " (" + type + ")") : null,
					payload));
			position = payloadEnd + 1;
		}
		return new Decoded(header, List.copyOf(items));
	}

	private static boolean isJson(String type, JsonNode itemHeader) {
		String contentType = itemHeader.path("content_type").asString("");
		return !BINARY_ITEM_TYPES.contains(type) && (contentType.isEmpty() || contentType.contains("json"));
	}

	private static JsonNode jsonObject(byte[] body, int from, int to, String what) throws DecodeException {
		JsonNode node = json(Arrays.copyOfRange(body, from, to), what);
		if (!node.isObject()) {
			throw new DecodeException(what + " is not a JSON object: " + node);
		}
		return node;
	}

	private static JsonNode json(byte[] bytes, String what) throws DecodeException {
		try {
			JsonNode node = JSON.readTree(bytes);
			if (node == null || node.isMissingNode()) {
				throw new DecodeException(what + ": empty JSON");
			}
			return node;
		}
		catch (JacksonException ex) {
			throw new DecodeException(what + ": invalid JSON (" + ex.getOriginalMessage() + "): "
					+ abbreviate(new String(bytes, StandardCharsets.UTF_8)));
		}
	}

	private static String eventId(Decoded decoded) {
		String fromHeader = decoded.header().path("event_id").asString("");
		if (!fromHeader.isEmpty()) {
			return fromHeader;
		}
		return decoded.items()
			.stream()
			.filter((item) -> item.json() != null && item.json().path("event_id").isString())
			.map((item) -> item.json().path("event_id").asString())
			.findFirst()
			.orElseGet(() -> UUID.randomUUID().toString().replace("-", ""));
	}

	private static void reply(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
			throws IOException {
		headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
		if (body.length > 0 && status != 204) {
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(status, body.length);
			exchange.getResponseBody().write(body);
		}
		else {
			exchange.sendResponseHeaders(status, -1);
		}
	}

	private void record(Envelope envelope) {
		this.lock.lock();
		try {
			this.envelopes.add(envelope);
			this.arrived.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void recordError(String message) {
		this.lock.lock();
		try {
			this.decodeErrors.add(message);
			this.arrived.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private static List<JsonNode> payloadsOfType(List<Envelope> envelopes, String type) {
		List<JsonNode> payloads = new ArrayList<>();
		for (Envelope envelope : envelopes) {
			for (Item item : envelope.items()) {
				if (type.equals(item.type()) && item.json() != null) {
					payloads.add(item.json());
				}
			}
		}
		return payloads;
	}

	private static Map<String, List<String>> copyHeaders(HttpExchange exchange) {
		Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
		return Collections.unmodifiableMap(headers);
	}

	private static byte[] error(String detail) {
		return JSON.createObjectNode().put("detail", detail).toString().getBytes(StandardCharsets.UTF_8);
	}

	private static int indexOf(byte[] bytes, byte value, int from) {
		for (int i = from; i < bytes.length; i++) {
			if (bytes[i] == value) {
				return i;
			}
		}
		return -1;
	}

	private static String abbreviate(String text) {
		return (text.length() <= 200) ? text : text.substring(0, 200) + "...";
	}

	private static void sleepBriefly() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while rebinding", ex);
		}
	}

	/** A plain TCP listener for the misbehaviours an HTTP server cannot show. */
	private static final class RawListener {

		private final ServerSocket socket;

		private final List<Socket> connections = Collections.synchronizedList(new ArrayList<>());

		private final AtomicInteger accepted = new AtomicInteger();

		RawListener(int port, byte[] answer) {
			this.socket = bindRaw(port);
			Thread acceptor = new Thread(() -> accept(answer), "sentry-test-server-raw");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		private static ServerSocket bindRaw(int port) {
			long deadline = System.nanoTime() + REBIND_PATIENCE.toNanos();
			while (true) {
				try {
					ServerSocket created = new ServerSocket();
					created.setReuseAddress(true);
					created.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
					return created;
				}
				catch (IOException ex) {
					if (System.nanoTime() > deadline) {
						throw new UncheckedIOException("Cannot bind 127.0.0.1:" + port, ex);
					}
					sleepBriefly();
				}
			}
		}

		private void accept(byte[] answer) {
			while (!this.socket.isClosed()) {
				try {
					Socket connection = this.socket.accept();
					this.accepted.incrementAndGet();
					if (answer == null) {
						// Held open, never read: the client waits for its read timeout.
						this.connections.add(connection);
						continue;
					}
					try (connection) {
						connection.getInputStream().read(new byte[8192]);
						connection.getOutputStream().write(answer);
					}
				}
				catch (IOException ex) {
					// Closed by close(), or the client gave up: either way, next connection.
				}
			}
		}

		void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// Already closed.
			}
			synchronized (this.connections) {
				for (Socket connection : this.connections) {
					try {
						connection.close();
					}
					catch (IOException ex) {
						// Already closed by the client.
					}
				}
				this.connections.clear();
			}
		}

	}

	public record Envelope(String projectId, Map<String, List<String>> requestHeaders, JsonNode header,
			List<Item> items, int respondedStatus) {

		/** First value of a request header, case-insensitive; null when absent. */
		public String requestHeader(String name) {
			List<String> values = this.requestHeaders.get(name);
			return (values == null || values.isEmpty()) ? null : values.get(0);
		}

		public List<Item> items(String type) {
			return this.items.stream().filter((item) -> item.type().equals(type)).toList();
		}

	}

	/** {@code json} is null for binary item types; {@code payload} always holds the raw bytes. */
	public record Item(String type, JsonNode header, JsonNode json, byte[] payload) {

		public String payloadAsString() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

	}

	record Decoded(JsonNode header, List<Item> items) {
	}

	private record Response(int status, Map<String, String> headers) {

		static final Response DEFAULT = new Response(200, Map.of());

	}

	static final class DecodeException extends Exception {

		DecodeException(String message) {
			super(message);
		}

	}

}
