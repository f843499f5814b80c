package dev.sentryboot.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

import io.sentry.AsyncHttpTransportFactory;
import io.sentry.DateUtils;
import io.sentry.Hint;
import io.sentry.ITransportFactory;
import io.sentry.RequestDetails;
import io.sentry.SentryEnvelope;
import io.sentry.SentryLevel;
import io.sentry.SentryOptions;
import io.sentry.UncaughtExceptionHandlerIntegration.UncaughtExceptionHint;
import io.sentry.cache.IEnvelopeCache;
import io.sentry.clientreport.DiscardReason;
import io.sentry.hints.Cached;
import io.sentry.hints.DiskFlushNotification;
import io.sentry.hints.Enqueable;
import io.sentry.hints.Retryable;
import io.sentry.hints.SubmissionResult;
import io.sentry.transport.ITransport;
import io.sentry.transport.NoOpEnvelopeCache;
import io.sentry.transport.RateLimiter;
import io.sentry.util.HintUtils;
import org.jspecify.annotations.Nullable;

/**
 * Sends envelopes to Sentry as the SDK's {@code AsyncHttpTransport} does (one sender thread, a
 * queue of {@code sentry.max-queue-size}, the SDK's rate limiter, client reports and disk cache,
 * the same hints), at a fraction of its cost per envelope:
 * <ul>
 * <li>one kept-alive connection instead of a new one per envelope (the SDK's asks the server to
 * close it after each answer);</li>
 * <li>an envelope is written to the disk cache only when it could not be delivered (Sentry
 * unreachable, no answer in time, an answer that is not HTTP) instead of before every attempt and
 * deleted after it; the one being sent when the process is killed outright is the price;</li>
 * <li>the fastest gzip level: envelopes are mostly JSON, which it still shrinks several times.</li>
 * </ul>
 * With a proxy configured the SDK's own transport is used (it also installs the proxy's
 * authenticator).
 */
final class KeepAliveHttpTransport implements ITransport {

	// As the SDK's transport: unhealthy (traces sampled down) for two seconds after a rejection.
	private static final long RECENT_NANOS = TimeUnit.SECONDS.toNanos(2);

	private final SentryOptions options;

	private final RequestDetails request;

	private final RateLimiter rateLimiter;

	private final ThreadPoolExecutor sender;

	private final AtomicInteger unfinished = new AtomicInteger();

	private final Object idle = new Object();

	private volatile long lastRejection = System.nanoTime() - RECENT_NANOS;

	private volatile @Nullable Delivery current;

	KeepAliveHttpTransport(SentryOptions options, RequestDetails request) {
		this.options = options;
		this.request = request;
		this.rateLimiter = new RateLimiter(options);
		this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
				new LinkedBlockingQueue<>(options.getMaxQueueSize()), (runnable) -> {
					Thread thread = new Thread(runnable, "SentryHttpSender");
					thread.setDaemon(true);
					return thread;
				});
	}

	@Override
	public void send(SentryEnvelope envelope, Hint hint) throws IOException {
		boolean cached = HintUtils.hasType(hint, Cached.class);
		SentryEnvelope filtered = this.rateLimiter.filter(envelope, hint);
		if (filtered == null) {
			if (cached) {
				this.options.getEnvelopeDiskCache().discard(envelope);
			}
			return;
		}
		if (HintUtils.hasType(hint, UncaughtExceptionHint.class)) {
			filtered = this.options.getClientReportRecorder().attachReportToEnvelope(filtered);
		}
		Delivery delivery = new Delivery(filtered, hint,
				cached ? NoOpEnvelopeCache.getInstance() : this.options.getEnvelopeDiskCache());
		this.unfinished.incrementAndGet();
		try {
			this.sender.execute(delivery);
		}
		catch (RejectedExecutionException ex) {
			finished();
			this.lastRejection = System.nanoTime();
			this.options.getClientReportRecorder().recordLostEnvelope(DiscardReason.QUEUE_OVERFLOW, filtered);
			delivery.keep();
			delivery.retry(true);
			HintUtils.runIfHasType(hint, SubmissionResult.class, (submission) -> submission.setResult(false));
			return;
		}
		HintUtils.runIfHasType(hint, Enqueable.class, Enqueable::markEnqueued);
	}

	@Override
	public void flush(long timeoutMillis) {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		synchronized (this.idle) {
			long left;
			while (this.unfinished.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.idle, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	private void finished() {
		if (this.unfinished.decrementAndGet() == 0) {
			synchronized (this.idle) {
				this.idle.notifyAll();
			}
		}
	}

	@Override
	public RateLimiter getRateLimiter() {
		return this.rateLimiter;
	}

	@Override
	public boolean isHealthy() {
		return !this.rateLimiter.isAnyRateLimitActive() && System.nanoTime() - this.lastRejection >= RECENT_NANOS;
	}

	@Override
	public void close() throws IOException {
		close(false);
	}

	@Override
	public void close(boolean isRestarting) throws IOException {
		this.rateLimiter.close();
		this.sender.shutdown();
		if (isRestarting) {
			return;
		}
		try {
			if (this.sender.awaitTermination(this.options.getFlushTimeoutMillis(), TimeUnit.MILLISECONDS)) {
				return;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		// Sentry is too slow to take the rest: what is queued and the one in flight go to disk.
		List<Runnable> queued = this.sender.shutdownNow();
		Delivery inFlight = this.current;
		if (inFlight != null) {
			inFlight.keep();
		}
		for (Runnable runnable : queued) {
			Delivery delivery = (Delivery) runnable;
			delivery.keep();
			delivery.retry(true);
			HintUtils.runIfHasType(delivery.hint, SubmissionResult.class, (submission) -> submission.setResult(false));
			finished();
		}
	}

	private final class Delivery implements Runnable {

		private final SentryEnvelope envelope;

		private final Hint hint;

		private final IEnvelopeCache cache;

		// Also written by close(), for the envelope in flight.
		private volatile boolean stored;

		Delivery(SentryEnvelope envelope, Hint hint, IEnvelopeCache cache) {
			this.envelope = envelope;
			this.hint = hint;
			this.cache = cache;
		}

		@Override
		public void run() {
			KeepAliveHttpTransport.this.current = this;
			boolean success = false;
			try {
				success = deliver();
			}
			catch (RuntimeException ex) {
				KeepAliveHttpTransport.this.options.getLogger().log(SentryLevel.ERROR, ex, "Envelope submission failed");
			}
			finally {
				KeepAliveHttpTransport.this.current = null;
				boolean result = success;
				HintUtils.runIfHasType(this.hint, SubmissionResult.class, (submission) -> submission.setResult(result));
				finished();
			}
		}

		private boolean deliver() {
			SentryOptions options = KeepAliveHttpTransport.this.options;
			this.envelope.getHeader().setSentAt(null);
			HintUtils.runIfHasType(this.hint, DiskFlushNotification.class, (notification) -> {
				// The uncaught exception handler waits for its event to be safe on disk.
				keep();
				if (notification.isFlushable(this.envelope.getHeader().getEventId())) {
					notification.markFlushed();
				}
			});
			if (!options.getTransportGate().isConnected()) {
				retry(true);
				return false;
			}
			SentryEnvelope sending = options.getClientReportRecorder().attachReportToEnvelope(this.envelope);
			sending.getHeader().setSentAt(DateUtils.nanosToDate(options.getDateProvider().now().nanoTimestamp()));
			byte[] body;
			try {
				body = gzip(sending);
			}
			catch (Exception ex) {
				// Sending it again would fail again.
				options.getLogger().log(SentryLevel.ERROR, ex, "Could not serialize an envelope");
				forget();
				options.getClientReportRecorder().recordLostEnvelope(DiscardReason.SEND_ERROR, sending);
				retry(false);
				return false;
			}
			int status;
			try {
				status = post(body);
			}
			catch (IOException | RuntimeException ex) {
				// Unreachable, no answer in time, not HTTP: worth trying again later.
				options.getLogger().log(SentryLevel.WARNING, ex, "Sending an envelope to Sentry failed");
				keep();
				retry(true);
				if (!this.stored && !HintUtils.hasType(this.hint, Retryable.class)) {
					options.getClientReportRecorder().recordLostEnvelope(DiscardReason.NETWORK_ERROR, sending);
				}
				return false;
			}
			if (status == HttpURLConnection.HTTP_OK) {
				forget();
				return true;
			}
			options.getLogger().log(SentryLevel.ERROR, "Sentry answered %d to an envelope", status);
			if (status >= 400) {
				// Refused for good (429: the rate limiter now holds back what follows).
				forget();
				if (status != 429) {
					options.getClientReportRecorder().recordLostEnvelope(DiscardReason.SEND_ERROR, sending);
				}
				retry(false);
			}
			else {
				keep();
				retry(true);
			}
			return false;
		}

		/** Writes the envelope to the disk cache, once. */
		void keep() {
			if (!this.stored) {
				this.stored = this.cache.storeEnvelope(this.envelope, this.hint);
			}
		}

		/**
		 * Deletes the copy {@link #keep()} wrote. Only then: the SDK's cache names a file for
		 * any envelope it is asked about (a random name, remembered in a map) and deleting one
		 * that was never written is still a system call, for every envelope delivered.
		 */
		void forget() {
			if (this.stored) {
				this.cache.discard(this.envelope);
			}
		}

		/** Whether the sender of a cached envelope should keep its file (the result is told once, at the end). */
		void retry(boolean retry) {
			HintUtils.runIfHasType(this.hint, Retryable.class, (retryable) -> retryable.setRetry(retry));
		}

	}

	private int post(byte[] body) throws IOException {
		HttpURLConnection connection = (HttpURLConnection) this.request.getUrl().openConnection();
		for (Map.Entry<String, String> header : this.request.getHeaders().entrySet()) {
			connection.setRequestProperty(header.getKey(), header.getValue());
		}
		connection.setRequestMethod("POST");
		connection.setDoOutput(true);
		connection.setRequestProperty("Content-Encoding", "gzip");
		connection.setRequestProperty("Content-Type", "application/x-sentry-envelope");
		connection.setRequestProperty("Accept", "application/json");
		connection.setConnectTimeout(this.options.getConnectionTimeoutMillis());
		connection.setReadTimeout(this.options.getReadTimeoutMillis());
		SSLSocketFactory sslSocketFactory = this.options.getSslSocketFactory();
		if (sslSocketFactory != null && connection instanceof HttpsURLConnection https) {
			https.setSSLSocketFactory(sslSocketFactory);
		}
		try {
			try (OutputStream out = connection.getOutputStream()) {
				out.write(body);
			}
			int status = connection.getResponseCode();
			this.rateLimiter.updateRetryAfterLimits(connection.getHeaderField("X-Sentry-Rate-Limits"),
					connection.getHeaderField("Retry-After"), status);
			// Read to the end and closed, the connection goes back to the JDK's keep-alive cache.
			drain((status < 400) ? connection.getInputStream() : connection.getErrorStream());
			return status;
		}
		catch (IOException | RuntimeException ex) {
			// Whatever state this connection is in, it is not reused.
			connection.disconnect();
			throw ex;
		}
	}

	private byte[] gzip(SentryEnvelope envelope) throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
		try (GZIPOutputStream gzip = new FastGzip(bytes)) {
			this.options.getSerializer().serialize(envelope, gzip);
		}
		return bytes.toByteArray();
	}

	private static void drain(@Nullable InputStream in) throws IOException {
		if (in == null) {
			return;
		}
		try (in) {
			byte[] buffer = new byte[512];
			while (in.read(buffer) != -1) {
				// The answer is of no use beyond its status and headers.
			}
		}
	}

	private static final class FastGzip extends GZIPOutputStream {

		FastGzip(OutputStream out) throws IOException {
			super(out, 8192);
			this.def.setLevel(Deflater.BEST_SPEED);
		}

	}

	/**
	 * This transport, or the SDK's when a proxy is configured.
	 */
	static final class Factory implements ITransportFactory {

		private final ITransportFactory sdk = new AsyncHttpTransportFactory();

		@Override
		public ITransport create(SentryOptions options, RequestDetails requestDetails) {
			if (options.getProxy() != null) {
				return this.sdk.create(options, requestDetails);
			}
			return new KeepAliveHttpTransport(options, requestDetails);
		}

	}

}
