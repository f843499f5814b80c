package dev.sentryboot.autoconfigure.actuate;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.sentryboot.autoconfigure.EnvelopeOutcome;
import io.sentry.SentryEnvelope;
import io.sentry.clientreport.DiscardReason;
import org.jspecify.annotations.Nullable;

/**
 * Carries one envelope's answer back to {@link SentryDelivery}: every transport of the SDK marks
 * the envelope's {@link EnvelopeOutcome} hint with whether it was accepted, and the overflow
 * transport tells it when the envelope went to the disk cache instead.
 */
final class TrackedEnvelope implements EnvelopeOutcome.Observer {

	final SentryEnvelope envelope;

	private final SentryDelivery delivery;

	private final AtomicBoolean resolved = new AtomicBoolean();

	// Both written only on the thread inside ITransport.send, read there after it returns.
	@Nullable DiscardReason reasonInSend;

	@Nullable Boolean syncResult;

	// Set on the sending thread before the disk write is handed to another thread.
	volatile boolean overflowing;

	TrackedEnvelope(SentryDelivery delivery, SentryEnvelope envelope) {
		this.delivery = delivery;
		this.envelope = envelope;
	}

	@Override
	public void result(boolean success) {
		this.delivery.result(this, success);
	}

	@Override
	public void overflowing() {
		this.overflowing = true;
	}

	@Override
	public void overflowed(boolean stored) {
		this.delivery.overflowed(this, stored);
	}

	/** True the first time only: an envelope has one outcome. */
	boolean resolve() {
		return this.resolved.compareAndSet(false, true);
	}

}
