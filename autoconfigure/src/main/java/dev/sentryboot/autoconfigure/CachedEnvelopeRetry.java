package dev.sentryboot.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.sentry.IConnectionStatusProvider;
import io.sentry.SentryOptions;
import org.jspecify.annotations.Nullable;

/**
 * Tells the SDK's cached-envelope sender, every {@code sentry.cache-retry-interval}, to try the
 * disk cache again. On a server there is no network-change signal (as Android has), so without
 * this the envelopes kept while Sentry was away would wait for the next restart.
 */
final class CachedEnvelopeRetry implements IConnectionStatusProvider {

	private final SentryOptions options;

	private final long intervalMillis;

	private final List<IConnectionStatusObserver> observers = new CopyOnWriteArrayList<>();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private volatile boolean closed;

	CachedEnvelopeRetry(SentryOptions options, long intervalMillis) {
		this.options = options;
		this.intervalMillis = intervalMillis;
	}

	@Override
	public ConnectionStatus getConnectionStatus() {
		return ConnectionStatus.UNKNOWN;
	}

	@Override
	public @Nullable String getConnectionType() {
		return null;
	}

	@Override
	public boolean addConnectionStatusObserver(IConnectionStatusObserver observer) {
		this.observers.add(observer);
		if (this.intervalMillis > 0 && this.scheduled.compareAndSet(false, true)) {
			scheduleNext();
		}
		return true;
	}

	@Override
	public void removeConnectionStatusObserver(IConnectionStatusObserver observer) {
		this.observers.remove(observer);
	}

	@Override
	public void close() {
		this.closed = true;
		this.observers.clear();
	}

	private void scheduleNext() {
		if (this.closed || this.options.getExecutorService().isClosed()) {
			return;
		}
		try {
			this.options.getExecutorService().schedule(this::tick, this.intervalMillis);
		}
		catch (RejectedExecutionException ex) {
			// The SDK is shutting down: nothing left to retry for.
		}
	}

	private void tick() {
		for (IConnectionStatusObserver observer : this.observers) {
			observer.onConnectionStatusChanged(ConnectionStatus.UNKNOWN);
		}
		scheduleNext();
	}

}
