package dev.sentryboot.autoconfigure;

import java.io.IOException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.sentry.DataCategory;
import io.sentry.Hint;
import io.sentry.ITransportFactory;
import io.sentry.RequestDetails;
import io.sentry.SentryEnvelope;
import io.sentry.SentryEnvelopeItem;
import io.sentry.SentryItemType;
import io.sentry.SentryLevel;
import io.sentry.SentryOptions;
import io.sentry.clientreport.DiscardReason;
import io.sentry.clientreport.IClientReportRecorder;
import io.sentry.protocol.SentryTransaction;
import io.sentry.transport.ITransport;
import io.sentry.transport.RateLimiter;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the HTTP transport from dropping error events when its queue is full: they go to the disk
 * cache instead, where {@link CachedEnvelopeRetry} sends them later.
 * <p>
 * The HTTP transport ({@link KeepAliveHttpTransport}, or the SDK's {@code AsyncHttpTransport})
 * refuses an envelope ({@code queue_overflow}) once {@code sentry.max-queue-size} envelopes wait,
 * and writes it to disk on the thread that captured it. This decorator counts the envelopes it handed over until the transport reports their outcome, and
 * before the queue is full it writes error envelopes to the cache on a thread of its own, so a
 * request thread never waits for the disk either. Transactions give way to errors: they may use
 * half of the queue, and are dropped (and counted) rather than cached, where they would push
 * errors out of the size-capped cache.
 */
final class OverflowToDiskTransport implements ITransport {

	// As the SDK's transport does for its rejections: unhealthy for two seconds after one.
	private static final long RECENT_NANOS = TimeUnit.SECONDS.toNanos(2);

	// The SDK clears a transaction's hint before handing it to the transport, all but the entries
	// named "sentry:...". Should a later SDK clear those too, dropped transactions are counted
	// the SDK's way.
	private static final String SPANS = "sentry:" + OverflowToDiskTransport.class.getName() + ".spans";

	private final SentryOptions options;

	private final ITransport delegate;

	private final int errorCapacity;

	private final int otherCapacity;

	private final AtomicInteger inQueue = new AtomicInteger();

	private final ThreadPoolExecutor spill;

	private volatile long lastOverflow = System.nanoTime() - RECENT_NANOS;

	OverflowToDiskTransport(SentryOptions options, ITransport delegate) {
		this.options = options;
		this.delegate = delegate;
		int queueSize = options.getMaxQueueSize();
		// One place left for the envelope a cache retry pass has in flight.
		this.errorCapacity = Math.max(1, queueSize - 1);
		this.otherCapacity = Math.max(1, queueSize / 2);
		// More waiting to be written than the cache keeps would only push the first ones out again.
		int spillSize = Math.max(1, options.getMaxCacheItems());
		this.spill = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(spillSize),
				(runnable) -> {
					Thread thread = new Thread(runnable, "SentryDiskSpill");
					thread.setDaemon(true);
					return thread;
				});
		// No thread lingers while nothing overflows.
		this.spill.allowCoreThreadTimeOut(true);
	}

	/** Envelopes handed to the HTTP transport whose outcome is not known yet. */
	int inQueue() {
		return this.inQueue.get();
	}

	@Override
	public void send(SentryEnvelope envelope, Hint hint) throws IOException {
		// Shared with any other decorator that observes outcomes (delivery tracking); null for
		// the SDK's own hints (cached envelopes sent again, crash flushes), which keep their
		// meaning and their own flow control.
		EnvelopeOutcome outcome = EnvelopeOutcome.attach(hint);
		if (outcome == null) {
			this.delegate.send(envelope, hint);
			return;
		}
		boolean error = containsError(envelope);
		if (!reservePlace(error ? this.errorCapacity : this.otherCapacity)) {
			overflow(envelope, hint, error, outcome);
			return;
		}
		Place place = new Place();
		outcome.observe(place);
		try {
			this.delegate.send(envelope, hint);
		}
		catch (IOException | RuntimeException ex) {
			place.settle();
			throw ex;
		}
		if (!place.enqueued && place.settle()) {
			// Neither queued nor rate limited: the SDK's queue was full after all (the SDK has
			// counted it lost). An error is still worth its place in the cache.
			if (error) {
				spill(envelope, outcome);
			}
		}
	}

	// Many request threads capture at once: checking and taking a place is one step.
	private boolean reservePlace(int capacity) {
		int current;
		do {
			current = this.inQueue.get();
			if (current >= capacity) {
				return false;
			}
		}
		while (!this.inQueue.compareAndSet(current, current + 1));
		return true;
	}

	private void overflow(SentryEnvelope envelope, Hint hint, boolean error, EnvelopeOutcome outcome) {
		this.lastOverflow = System.nanoTime();
		if (error) {
			spill(envelope, outcome);
		}
		else {
			recordLost(envelope, hint);
		}
	}

	/**
	 * Remembers, on the hint the transaction is sent with, how many spans it has. Should it
	 * overflow, the client report counts them: the SDK's recorder would serialize the transaction
	 * and parse it back to learn that, on the request thread, just as the queue is full.
	 * @param hint the hint of the transaction
	 * @param transaction the transaction as it will be sent
	 */
	static void rememberSpans(Hint hint, SentryTransaction transaction) {
		hint.set(SPANS, transaction.getSpans().size());
	}

	// What the SDK's recorder would count: the transaction, and its spans plus the one Relay
	// makes of the transaction itself.
	private void recordLost(SentryEnvelope envelope, Hint hint) {
		IClientReportRecorder recorder = this.options.getClientReportRecorder();
		Object spans = hint.get(SPANS);
		for (SentryEnvelopeItem item : envelope.getItems()) {
			if (item.getHeader().getType() == SentryItemType.Transaction && spans instanceof Integer count) {
				recorder.recordLostEvent(DiscardReason.QUEUE_OVERFLOW, DataCategory.Transaction);
				recorder.recordLostEvent(DiscardReason.QUEUE_OVERFLOW, DataCategory.Span, count + 1L);
			}
			else {
				recorder.recordLostEnvelopeItem(DiscardReason.QUEUE_OVERFLOW, item);
			}
		}
	}

	private void spill(SentryEnvelope envelope, EnvelopeOutcome outcome) {
		outcome.overflowing();
		try {
			this.spill.execute(() -> store(envelope, outcome));
		}
		catch (RejectedExecutionException ex) {
			// As many wait to be written as the cache keeps, or the transport is closing.
			this.options.getClientReportRecorder().recordLostEnvelope(DiscardReason.QUEUE_OVERFLOW, envelope);
			outcome.overflowed(false);
		}
	}

	private void store(SentryEnvelope envelope, EnvelopeOutcome outcome) {
		boolean stored = false;
		try {
			stored = this.options.getEnvelopeDiskCache().storeEnvelope(envelope, new Hint());
		}
		catch (RuntimeException ex) {
			this.options.getLogger().log(SentryLevel.WARNING, "Could not write an envelope to the disk cache", ex);
		}
		if (!stored) {
			// No cache directory, or the disk refused it.
			this.options.getClientReportRecorder().recordLostEnvelope(DiscardReason.QUEUE_OVERFLOW, envelope);
		}
		outcome.overflowed(stored);
	}

	private static boolean containsError(SentryEnvelope envelope) {
		for (SentryEnvelopeItem item : envelope.getItems()) {
			if (item.getHeader().getType() == SentryItemType.Event) {
				return true;
			}
		}
		return false;
	}

	@Override
	public void flush(long timeoutMillis) {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		this.delegate.flush(timeoutMillis);
		try {
			// What overflowed is on disk once the spill thread got to it.
			Future<?> marker = this.spill.submit(() -> {
			});
			marker.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Closing: close() waits for the spill thread instead.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			this.options.getLogger().log(SentryLevel.DEBUG, "Disk spill did not finish within the flush timeout");
		}
	}

	@Override
	public @Nullable RateLimiter getRateLimiter() {
		return this.delegate.getRateLimiter();
	}

	@Override
	public boolean isHealthy() {
		// The SDK's transport reports a full queue as unhealthy; its queue no longer fills up.
		return this.delegate.isHealthy() && System.nanoTime() - this.lastOverflow >= RECENT_NANOS;
	}

	@Override
	public void close() throws IOException {
		close(false);
	}

	@Override
	public void close(boolean isRestarting) throws IOException {
		this.spill.shutdown();
		try {
			this.delegate.close(isRestarting);
			this.spill.awaitTermination(this.options.getShutdownTimeoutMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.spill.shutdownNow();
		}
	}

	/**
	 * Holds one queue place until the SDK's transport says it queued the envelope and is done
	 * with it.
	 */
	private final class Place implements EnvelopeOutcome.Observer {

		private final AtomicBoolean settled = new AtomicBoolean();

		private volatile boolean enqueued;

		@Override
		public void enqueued() {
			this.enqueued = true;
		}

		@Override
		public void result(boolean success) {
			settle();
		}

		boolean settle() {
			if (this.settled.compareAndSet(false, true)) {
				OverflowToDiskTransport.this.inQueue.decrementAndGet();
				return true;
			}
			return false;
		}

	}

	/**
	 * Wraps the network transport the SDK would build, so anything layered on top (the local
	 * event store, health) sees one transport that never drops an error for a full queue.
	 */
	static final class Factory implements ITransportFactory {

		private final ITransportFactory network;

		Factory(ITransportFactory network) {
			this.network = network;
		}

		@Override
		public ITransport create(SentryOptions options, RequestDetails requestDetails) {
			return new OverflowToDiskTransport(options, this.network.create(options, requestDetails));
		}

	}

}
