package dev.sentryboot.autoconfigure;

import java.io.File;
import java.util.concurrent.RejectedExecutionException;

import io.sentry.IScopes;
import io.sentry.SendCachedEnvelopeFireAndForgetIntegration.SendFireAndForget;
import io.sentry.SendFireAndForgetEnvelopeSender;
import io.sentry.SentryLevel;
import io.sentry.SentryOptions;

/**
 * Sends the envelopes kept in the disk cache (Sentry was away, or the queue was full) every
 * {@code sentry.cache-retry-interval}, through the SDK's own cached-envelope sender. On a server
 * there is no network-change signal (as Android has), and the SDK alone would only retry at the
 * next start.
 * <p>
 * An envelope can be in the cache while it is being sent: the SDK's transport (used with a proxy)
 * writes every envelope there before it sends it, and ours the one of an uncaught exception (the
 * others only once their delivery failed); each deletes it once Sentry took it. A pass that ran
 * while such an envelope is in flight would send it twice, so the first pass waits one interval,
 * and a pass is put off while the cache holds a file younger than the transport's connect and
 * read timeouts together.
 */
final class CachedEnvelopeRetry {

	private final IScopes scopes;

	private final SentryOptions options;

	private final long intervalMillis;

	private volatile boolean closed;

	CachedEnvelopeRetry(IScopes scopes, SentryOptions options, long intervalMillis) {
		this.scopes = scopes;
		this.options = options;
		this.intervalMillis = intervalMillis;
	}

	void start() {
		scheduleNext();
	}

	void close() {
		this.closed = true;
	}

	private void scheduleNext() {
		if (this.closed || this.options.getExecutorService().isClosed()) {
			return;
		}
		try {
			this.options.getExecutorService().schedule(this::sendCached, this.intervalMillis);
		}
		catch (RejectedExecutionException ex) {
			// The SDK is shutting down: nothing left to retry for.
		}
	}

	private boolean hasEnvelopeInFlight() {
		String path = this.options.getCacheDirPath();
		File[] files = (path != null) ? new File(path).listFiles() : null;
		if (files == null) {
			return false;
		}
		long window = this.options.getConnectionTimeoutMillis() + this.options.getReadTimeoutMillis();
		long now = System.currentTimeMillis();
		for (File file : files) {
			if (now - file.lastModified() < window) {
				return true;
			}
		}
		return false;
	}

	private void sendCached() {
		if (this.closed) {
			return;
		}
		try {
			if (hasEnvelopeInFlight()) {
				scheduleNext();
				return;
			}
			// A new sender for every pass: a sender remembers each file it handed to the
			// transport and never hands it over again, also when that send failed and the file
			// stayed in the cache, so one sender for all passes would keep those files until the
			// next start. Passes do not overlap: a pass runs on the SDK's single executor thread
			// and waits for each file's outcome (up to the flush timeout) before the next.
			SendFireAndForget sender = new SendFireAndForgetEnvelopeSender(this.options::getCacheDirPath)
				.create(this.scopes, this.options);
			if (sender != null) {
				sender.send();
			}
		}
		catch (RuntimeException ex) {
			this.options.getLogger().log(SentryLevel.WARNING, "Could not send cached envelopes", ex);
		}
		scheduleNext();
	}

}
