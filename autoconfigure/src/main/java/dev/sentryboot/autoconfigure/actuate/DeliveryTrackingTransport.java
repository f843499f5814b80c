package dev.sentryboot.autoconfigure.actuate;

import java.io.IOException;

import dev.sentryboot.autoconfigure.EnvelopeOutcome;
import io.sentry.Hint;
import io.sentry.SentryEnvelope;
import io.sentry.transport.ITransport;
import io.sentry.transport.RateLimiter;
import org.jspecify.annotations.Nullable;

/**
 * Wraps whatever transport the SDK uses (HTTP, or one a customizer chose) to learn the answer
 * to each envelope: a {@link TrackedEnvelope} observes the envelope's {@link EnvelopeOutcome}
 * hint, the one the overflow-to-disk transport beneath shares. Envelopes that already carry an
 * SDK hint (sent again from the disk cache, or flushed by the uncaught exception handler) pass
 * untouched: their hint drives the SDK's own retry and cannot be shared.
 */
final class DeliveryTrackingTransport implements ITransport {

	private final ITransport delegate;

	private final SentryDelivery delivery;

	DeliveryTrackingTransport(ITransport delegate, SentryDelivery delivery) {
		this.delegate = delegate;
		this.delivery = delivery;
		delivery.transportCreated(delegate.getRateLimiter());
	}

	@Override
	public void send(SentryEnvelope envelope, Hint hint) throws IOException {
		// The hint the overflow transport beneath observes too; null for the SDK's own hints.
		EnvelopeOutcome outcome = EnvelopeOutcome.attach(hint);
		if (outcome == null) {
			this.delegate.send(envelope, hint);
			return;
		}
		TrackedEnvelope tracked = this.delivery.track(envelope);
		outcome.observe(tracked);
		this.delivery.beforeSend(tracked);
		Exception failure = null;
		try {
			this.delegate.send(envelope, hint);
		}
		catch (IOException | RuntimeException ex) {
			failure = ex;
			throw ex;
		}
		finally {
			this.delivery.afterSend(tracked, failure);
		}
	}

	@Override
	public void flush(long timeoutMillis) {
		this.delegate.flush(timeoutMillis);
	}

	@Override
	public @Nullable RateLimiter getRateLimiter() {
		return this.delegate.getRateLimiter();
	}

	@Override
	public boolean isHealthy() {
		return this.delegate.isHealthy();
	}

	@Override
	public void close() throws IOException {
		this.delegate.close();
	}

	@Override
	public void close(boolean isRestarting) throws IOException {
		this.delegate.close(isRestarting);
	}

}
