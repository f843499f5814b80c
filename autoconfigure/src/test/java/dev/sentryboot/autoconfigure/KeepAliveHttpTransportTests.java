package dev.sentryboot.autoconfigure;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpServer;
import dev.sentryboot.autoconfigure.testsupport.CountingClientReports;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import io.sentry.Hint;
import io.sentry.RequestDetailsResolver;
import io.sentry.SentryEnvelope;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import io.sentry.cache.EnvelopeCache;
import io.sentry.cache.IEnvelopeCache;
import io.sentry.clientreport.DiscardReason;
import io.sentry.transport.ITransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link KeepAliveHttpTransport} does differently from the SDK's transport, on real sockets:
 * one connection for many envelopes, the disk cache only for what could not be delivered, and
 * nothing left behind in the queue when the application closes while Sentry is slow.
 */
class KeepAliveHttpTransportTests {

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private final AtomicInteger cacheCalls = new AtomicInteger();

	private SentryOptions options;

	private CountingClientReports reports;

	private HttpServer server;

	private ITransport transport;

	@BeforeEach
	void options(@TempDir Path cache) {
		this.options = new SentryOptions();
		this.options.setCacheDirPath(cache.toString());
		this.options.setMaxCacheItems(100);
		this.options.setConnectionTimeoutMillis(1000);
		this.options.setReadTimeoutMillis(30_000);
		this.options.setFlushTimeoutMillis(500);
		this.reports = CountingClientReports.install(this.options);
	}

	@AfterEach
	void close() throws IOException {
		if (this.transport != null) {
			this.transport.close();
		}
		if (this.server != null) {
			this.server.stop(0);
		}
	}

	@Test
	void sendsEnvelopesOneAfterTheOtherOverOneConnectionWithoutTouchingTheDisk() throws Exception {
		start(0);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			ids.add(sendError("error " + i));
			this.transport.flush(5000);
		}
		assertThat(this.requests).hasSize(20);
		assertThat(this.requests).extracting(Request::body).allSatisfy((body) -> assertThat(body).contains("\"type\":\"event\""));
		assertThat(this.requests.stream().map(Request::body).toList())
			.allSatisfy((body) -> assertThat(ids).anyMatch(body::contains));
		assertThat(this.requests).extracting(Request::connection).doesNotContain("close");
		assertThat(this.requests.stream().map(Request::clientPort).distinct()).hasSize(1);
		assertThat(this.cacheCalls).as("disk cache writes and deletes").hasValue(0);
		assertThat(cachedFiles()).isZero();
		assertThat(this.reports.snapshot()).isEmpty();
	}

	@Test
	void reconnectsWhenSentryClosedTheKeptConnection() throws Exception {
		start(0);
		sendError("before");
		this.transport.flush(5000);
		int port = this.server.getAddress().getPort();
		this.server.stop(0);
		start(port);
		String after = sendError("after");
		this.transport.flush(5000);
		assertThat(this.requests).hasSize(2);
		assertThat(this.requests.get(1).body()).contains(after);
		assertThat(cachedFiles()).isZero();
	}

	@Test
	void keepsOnDiskWhatCouldNotBeDelivered() throws Exception {
		try (SentryTestServer sentry = new SentryTestServer()) {
			sentry.stop();
			useDsn(sentry.dsn());
			for (int i = 0; i < 3; i++) {
				sendError("unreachable " + i);
			}
			this.transport.flush(5000);
			assertThat(cachedFiles()).isEqualTo(3);
			// Kept for later: not counted as lost.
			assertThat(this.reports.snapshot()).isEmpty();
		}
	}

	@Test
	void dropsAndCountsWhatSentryRefused() throws Exception {
		try (SentryTestServer sentry = new SentryTestServer()) {
			sentry.respondWith(500);
			useDsn(sentry.dsn());
			sendError("refused 1");
			sendError("refused 2");
			this.transport.flush(5000);
			assertThat(sentry.events()).hasSize(2);
			assertThat(this.reports.count(DiscardReason.SEND_ERROR, "event")).isEqualTo(2);
			assertThat(cachedFiles()).isZero();
		}
	}

	@Test
	void closingWhileSentryIsSlowKeepsTheQueuedEnvelopesOnDisk() throws Exception {
		try (SentryTestServer sentry = new SentryTestServer()) {
			sentry.blackHole();
			useDsn(sentry.dsn());
			for (int i = 0; i < 5; i++) {
				sendError("waiting " + i);
			}
			this.transport.close();
			this.transport = null;
			// The one waiting for an answer and the four behind it.
			assertThat(cachedFiles()).isEqualTo(5);
		}
	}

	private void start(int port) throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		this.server.createContext("/", (exchange) -> {
			byte[] body;
			try (InputStream in = new GZIPInputStream(exchange.getRequestBody())) {
				body = in.readAllBytes();
			}
			this.requests.add(new Request(exchange.getRemoteAddress().getPort(),
					String.valueOf(exchange.getRequestHeaders().getFirst("Connection")).toLowerCase(),
					new String(body, StandardCharsets.UTF_8)));
			byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, answer.length);
			exchange.getResponseBody().write(answer);
			exchange.close();
		});
		this.server.start();
		if (this.transport == null) {
			useDsn("http://key@127.0.0.1:" + this.server.getAddress().getPort() + "/1");
		}
	}

	private void useDsn(String dsn) {
		this.options.setDsn(dsn);
		// The cache directory depends on the DSN.
		this.options.setEnvelopeDiskCache(new CountingCache(EnvelopeCache.create(this.options), this.cacheCalls));
		this.transport = new KeepAliveHttpTransport.Factory().create(this.options,
				new RequestDetailsResolver(this.options).resolve());
	}

	private String sendError(String message) throws IOException {
		SentryEvent event = new SentryEvent(new IllegalStateException(message));
		this.transport.send(SentryEnvelope.from(this.options.getSerializer(), event, null), new Hint());
		return event.getEventId().toString();
	}

	private int cachedFiles() {
		File[] files = new File(this.options.getCacheDirPath()).listFiles((dir, name) -> name.endsWith(".envelope"));
		return (files != null) ? files.length : 0;
	}

	record Request(int clientPort, String connection, String body) {
	}

	/** The SDK's disk cache, counting the envelopes written to it or deleted from it. */
	record CountingCache(IEnvelopeCache delegate, AtomicInteger calls) implements IEnvelopeCache {

		@Override
		@SuppressWarnings("deprecation")
		public void store(SentryEnvelope envelope, Hint hint) {
			storeEnvelope(envelope, hint);
		}

		@Override
		public boolean storeEnvelope(SentryEnvelope envelope, Hint hint) {
			this.calls.incrementAndGet();
			return this.delegate.storeEnvelope(envelope, hint);
		}

		@Override
		public void discard(SentryEnvelope envelope) {
			this.calls.incrementAndGet();
			this.delegate.discard(envelope);
		}

		@Override
		public Iterator<SentryEnvelope> iterator() {
			return this.delegate.iterator();
		}

	}

}
