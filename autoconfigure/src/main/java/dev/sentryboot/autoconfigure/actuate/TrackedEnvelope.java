package dev.sentryboot.autoconfigure.actuate;

import java.util.concurrent.atomic.AtomicBoolean;

import io.sentry.SentryEnvelope;
import io.sentry.clientreport.DiscardReason;
import io.sentry.hints.SubmissionResult;
import org.jspecify.annotations.Nullable;

/**
 * The SDK hint that carries one envelope's answer back: every transport of the SDK marks a
 * {@link SubmissionResult} hint with whether the envelope was accepted.
 */
final class TrackedEnvelope implements SubmissionResult {

	final SentryEnvelope envelope;

	private final SentryDelivery delivery;

	private final AtomicBoolean resolved = new AtomicBoolean();

	private volatile boolean success;

	// Both written only on the thread inside ITransport.send, read there after it returns.
	@Nullable DiscardReason reasonInSend;

	@Nullable Boolean syncResult;

	TrackedEnvelope(SentryDelivery delivery, SentryEnvelope envelope) {
		this.delivery = delivery;
		this.envelope = envelope;
	}

	@Override
	public void setResult(boolean success) {
		this.success = success;
		this.delivery.result(this, success);
	}

	@Override
	public boolean isSuccess() {
		return this.success;
	}

	/** True the first time only: an envelope has one outcome. */
	boolean resolve() {
		return this.resolved.compareAndSet(false, true);
	}

}
