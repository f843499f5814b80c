package dev.sentryboot.autoconfigure;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sentryboot.autoconfigure.testsupport.CountingClientReports;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import io.sentry.Hint;
import io.sentry.ISerializer;
import io.sentry.JsonDeserializer;
import io.sentry.RequestDetailsResolver;
import io.sentry.SentryClient;
import io.sentry.SentryEnvelope;
import io.sentry.SentryEnvelopeItem;
import io.sentry.SentryEvent;
import io.sentry.SentryItemType;
import io.sentry.SentryOptions;
import io.sentry.SpanId;
import io.sentry.cache.EnvelopeCache;
import io.sentry.clientreport.DiscardReason;
import io.sentry.clientreport.DiscardedEvent;
import io.sentry.protocol.SentryId;
import io.sentry.protocol.SentrySpan;
import io.sentry.protocol.SentryTransaction;
import io.sentry.protocol.TransactionInfo;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK's real HTTP transport under {@link OverflowToDiskTransport}, its only sender thread held
 * by an endpoint that never answers, so the queue fills deterministically.
 */
class OverflowToDiskTransportTests {

	private static final int QUEUE = 6;

	private final SentryTestServer sentry = new SentryTestServer();

	private SentryOptions options;

	private CountingClientReports reports;

	private OverflowToDiskTransport transport;

	@BeforeEach
	void blackHoledTransport(@TempDir Path cache) throws Exception {
		this.options = new SentryOptions();
		this.options.setDsn(this.sentry.dsn());
		this.options.setCacheDirPath(cache.toString());
		this.options.setMaxQueueSize(QUEUE);
		this.options.setMaxCacheItems(100);
		this.options.setConnectionTimeoutMillis(1000);
		this.options.setReadTimeoutMillis(30_000);
		this.options.setFlushTimeoutMillis(2000);
		this.options.setShutdownTimeoutMillis(1000);
		this.options.setEnvelopeDiskCache(EnvelopeCache.create(this.options));
		this.reports = CountingClientReports.install(this.options);
		this.transport = (OverflowToDiskTransport) new OverflowToDiskTransport.Factory(new KeepAliveHttpTransport.Factory())
			.create(this.options, new RequestDetailsResolver(this.options).resolve());
		this.sentry.blackHole();
	}

	@AfterEach
	void close() throws Exception {
		// Answering again frees the sender thread from the black hole.
		this.sentry.start();
		this.transport.close();
		this.sentry.close();
	}

	@Test
	void errorsBeyondTheQueueGoToTheDiskCacheInsteadOfBeingDropped() throws Exception {
		sendError("held");
		awaitHeldBySentry();
		assertThat(this.transport.isHealthy()).isTrue();
		for (int i = 0; i < 20; i++) {
			sendError("error " + i);
		}
		// As the SDK's transport does after it rejected one.
		assertThat(this.transport.isHealthy()).isFalse();
		this.transport.flush(2000);
		// The held one goes to disk only if its send fails; 4 more wait in the queue (one place
		// stays free for a cache retry); the other 16 are on disk, none dropped.
		assertThat(this.transport.inQueue()).isEqualTo(QUEUE - 1);
		assertThat(cachedFiles()).isEqualTo(16);
		assertThat(this.reports.snapshot()).isEmpty();
	}

	@Test
	void transactionsGiveWayToErrorsAndAreCountedWhenDropped() throws Exception {
		sendError("held");
		awaitHeldBySentry();
		for (int i = 0; i < 10; i++) {
			send(transaction("transaction " + i));
			sendError("error " + i);
		}
		this.transport.flush(2000);
		// Transactions may use half of the queue (3 places): after the held error and the first
		// transaction and error, the other 9 transactions are dropped. Errors take the queue up
		// to its last place (kept for a cache retry), the other 7 go to disk.
		assertThat(this.reports.count(DiscardReason.QUEUE_OVERFLOW, "transaction")).isEqualTo(9);
		assertThat(this.reports.count(DiscardReason.QUEUE_OVERFLOW, "event")).isZero();
		assertThat(cachedFiles()).isEqualTo(7);
		assertThat(this.transport.inQueue()).isEqualTo(QUEUE - 1);
	}

	@Test
	void droppedTransactionsCountTheirSpansAsTheSdkDoesWithoutParsingThemBack() throws Exception {
		sendError("held");
		awaitHeldBySentry();
		Parses parses = new Parses(this.options.getSerializer());
		this.options.setSerializer(parses);
		// Fill the transactions' share of the queue (3 places, one taken by the held error), then
		// drop 4 told of their spans by the before-send chain and 4 not (the SDK's recorder parses
		// those).
		for (int i = 0; i < 2; i++) {
			send(transaction("queued " + i, 0));
		}
		for (int i = 0; i < 4; i++) {
			SentryTransaction transaction = transactionWithSpans("remembered " + i, 2);
			Hint hint = new Hint();
			OverflowToDiskTransport.rememberSpans(hint, transaction);
			this.transport.send(SentryEnvelope.from(this.options.getSerializer(), transaction, null), hint);
		}
		assertThat(parses.count).as("no dropped transaction parsed back").hasValue(0);
		// 4 transactions of 2 spans each: 2 + 1 (Relay's span for the transaction) counted each.
		assertThat(overflowReport()).containsEntry("transaction", 4L).containsEntry("span", 12L);
		for (int i = 0; i < 4; i++) {
			send(transaction("parsed " + i, 2));
		}
		assertThat(parses.count).hasValue(4);
		assertThat(overflowReport()).containsEntry("transaction", 4L).containsEntry("span", 12L);
	}

	@Test
	void theBeforeSendChainTellsTheTransportThroughTheSdkHowManySpansATransactionHas() throws Exception {
		sendError("held");
		awaitHeldBySentry();
		Parses parses = new Parses(this.options.getSerializer());
		this.options.setSerializer(parses);
		this.options.setBeforeSendTransaction(new BeforeSendChain(List.of(), List.of(), List.of(), null));
		this.options.setTransportFactory((options, request) -> this.transport);
		// The SDK's client clears the hint between the before-send step and the transport.
		SentryClient client = new SentryClient(this.options);
		for (int i = 0; i < 6; i++) {
			client.captureTransaction(transactionWithSpans("captured " + i, 2), null, null, null, null);
		}
		assertThat(parses.count).as("no dropped transaction parsed back").hasValue(0);
		assertThat(overflowReport()).containsEntry("transaction", 4L).containsEntry("span", 12L);
	}

	/** What the SDK's client report says was lost to a full queue since the last one. */
	private Map<String, Long> overflowReport() throws Exception {
		SentryEnvelope envelope = this.options.getClientReportRecorder()
			.attachReportToEnvelope(SentryEnvelope.from(this.options.getSerializer(), new SentryEvent(), null));
		Map<String, Long> lost = new java.util.TreeMap<>();
		for (SentryEnvelopeItem item : envelope.getItems()) {
			if (item.getHeader().getType() == SentryItemType.ClientReport) {
				for (DiscardedEvent discarded : item.getClientReport(this.options.getSerializer()).getDiscardedEvents()) {
					if (discarded.getReason().equals(DiscardReason.QUEUE_OVERFLOW.getReason())) {
						lost.merge(discarded.getCategory(), discarded.getQuantity(), Long::sum);
					}
				}
			}
		}
		return lost;
	}

	@Test
	void whatWaitedInTheQueueIsDeliveredWhenSentryAnswersAgain() throws Exception {
		// A slow answer holds the sender this time, so the port stays bound throughout.
		this.sentry.start();
		this.sentry.respondAfter(Duration.ofSeconds(2));
		sendError("held");
		this.sentry.awaitEnvelopes(1, Duration.ofSeconds(10));
		for (int i = 0; i < 4; i++) {
			sendError("error " + i);
		}
		this.sentry.respondAfter(Duration.ZERO);
		this.transport.flush(10_000);
		assertThat(this.transport.inQueue()).isZero();
		assertThat(this.sentry.events()).hasSize(5);
		assertThat(cachedFiles()).isZero();
		assertThat(this.transport.isHealthy()).isTrue();
	}

	@Test
	void anOutcomeHintAttachedAboveKeepsOverflowOnAndHearsOfIt() throws Exception {
		sendError("held");
		awaitHeldBySentry();
		List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
		// As the delivery tracker does: it attaches the outcome before the overflow transport
		// sees the envelope, and both observe the same hint.
		for (int i = 0; i < QUEUE + 2; i++) {
			Hint hint = new Hint();
			EnvelopeOutcome outcome = EnvelopeOutcome.attach(hint);
			assertThat(outcome).isNotNull();
			assertThat(EnvelopeOutcome.attach(hint)).isSameAs(outcome);
			int index = i;
			outcome.observe(new EnvelopeOutcome.Observer() {
				@Override
				public void enqueued() {
					seen.add(index + " enqueued");
				}

				@Override
				public void overflowed(boolean stored) {
					seen.add(index + " overflowed " + stored);
				}
			});
			this.transport.send(SentryEnvelope.from(this.options.getSerializer(),
					new SentryEvent(new IllegalStateException("error " + i)), null), hint);
		}
		this.transport.flush(2000);
		// The held one and 4 more take the queue (one place kept for a cache retry): the last
		// three go to disk, and their observers hear it.
		assertThat(seen).contains("0 enqueued", "3 enqueued")
			.contains("4 overflowed true", "5 overflowed true", "6 overflowed true", "7 overflowed true")
			.doesNotContain("4 enqueued");
		assertThat(cachedFiles()).isEqualTo(4);
		assertThat(this.reports.snapshot()).isEmpty();
	}

	@Test
	void anSdkHintOfItsOwnIsNeitherSharedNorReplaced() {
		Hint hint = new Hint();
		io.sentry.util.HintUtils.setTypeCheckHint(hint, "the SDK's own");
		assertThat(EnvelopeOutcome.attach(hint)).isNull();
		assertThat(io.sentry.util.HintUtils.getSentrySdkHint(hint)).isEqualTo("the SDK's own");
	}

	private void awaitHeldBySentry() throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (this.sentry.rawConnections() < 1) {
			assertThat(System.nanoTime()).as("the sender connects to the black hole").isLessThan(deadline);
			Thread.sleep(10);
		}
	}

	private int cachedFiles() {
		File[] files = new File(this.options.getCacheDirPath()).listFiles((dir, name) -> name.endsWith(".envelope"));
		return (files != null) ? files.length : 0;
	}

	private void sendError(String message) throws Exception {
		send(SentryEnvelope.from(this.options.getSerializer(), new SentryEvent(new IllegalStateException(message)),
				null));
	}

	private SentryEnvelope transaction(String name) throws Exception {
		return transaction(name, 0);
	}

	private SentryEnvelope transaction(String name, int spans) throws Exception {
		return SentryEnvelope.from(this.options.getSerializer(), transactionWithSpans(name, spans), null);
	}

	private static SentryTransaction transactionWithSpans(String name, int count) {
		List<SentrySpan> spans = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			spans.add(new SentrySpan(1.0, 2.0, new SentryId(), new SpanId(), null, "db.sql.query", "select " + i,
					null, null, Map.of(), Map.of(), null));
		}
		return new SentryTransaction(name, 1.0, 2.0, spans, Map.of(), new TransactionInfo("custom"));
	}

	/** The serializer, counting the transactions parsed back from JSON. */
	private static final class Parses implements ISerializer {

		private final ISerializer delegate;

		private final AtomicInteger count = new AtomicInteger();

		Parses(ISerializer delegate) {
			this.delegate = delegate;
		}

		@Override
		public <T, R> @Nullable T deserializeCollection(Reader reader, Class<T> clazz,
				@Nullable JsonDeserializer<R> elementDeserializer) {
			return this.delegate.deserializeCollection(reader, clazz, elementDeserializer);
		}

		@Override
		public <T> @Nullable T deserialize(Reader reader, Class<T> clazz) {
			if (clazz == SentryTransaction.class) {
				this.count.incrementAndGet();
			}
			return this.delegate.deserialize(reader, clazz);
		}

		@Override
		public @Nullable SentryEnvelope deserializeEnvelope(InputStream inputStream) {
			return this.delegate.deserializeEnvelope(inputStream);
		}

		@Override
		public <T> void serialize(T entity, Writer writer) throws IOException {
			this.delegate.serialize(entity, writer);
		}

		@Override
		public void serialize(SentryEnvelope envelope, OutputStream outputStream) throws Exception {
			this.delegate.serialize(envelope, outputStream);
		}

		@Override
		public String serialize(Map<String, Object> data) throws Exception {
			return this.delegate.serialize(data);
		}

	}

	private void send(SentryEnvelope envelope) throws Exception {
		this.transport.send(envelope, new Hint());
	}

}
