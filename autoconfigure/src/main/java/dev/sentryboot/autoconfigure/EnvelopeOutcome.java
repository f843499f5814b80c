package dev.sentryboot.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.sentry.Hint;
import io.sentry.hints.Enqueable;
import io.sentry.hints.SubmissionResult;
import io.sentry.util.HintUtils;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The one SDK hint through which the transport decorators learn what became of an envelope the
 * application captured: queued by the SDK's transport, its answer (sent, or failed: rate limited,
 * rejected, unreachable), and whether {@link OverflowToDiskTransport} wrote it to the disk cache
 * instead because the queue was full.
 * <p>
 * The SDK reads a single type-check hint per envelope, so every decorator that wants an outcome
 * shares this object ({@link #attach(Hint)}) and registers an {@link Observer} on it, in
 * whichever order the decorators are stacked. An envelope that already carries one of the SDK's
 * own hints (sent again from the disk cache, flushed by the uncaught exception handler) is left
 * alone: that hint drives the SDK's retry and cannot be shared.
 */
public final class EnvelopeOutcome implements Enqueable, SubmissionResult {

	private static final Log logger = LogFactory.getLog(EnvelopeOutcome.class);

	// Registered on the sending thread before the envelope reaches the SDK's queue.
	private final List<Observer> observers = new CopyOnWriteArrayList<>();

	private volatile boolean success;

	private EnvelopeOutcome() {
	}

	/**
	 * The outcome already attached to the hint, or a new one attached to it.
	 * @param hint the hint the envelope is sent with
	 * @return the outcome, or {@code null} when the hint carries an SDK hint of its own
	 */
	public static @Nullable EnvelopeOutcome attach(Hint hint) {
		Object current = HintUtils.getSentrySdkHint(hint);
		if (current instanceof EnvelopeOutcome outcome) {
			return outcome;
		}
		if (current != null) {
			return null;
		}
		EnvelopeOutcome outcome = new EnvelopeOutcome();
		HintUtils.setTypeCheckHint(hint, outcome);
		return outcome;
	}

	/**
	 * Tells the observer about everything that happens to the envelope from now on.
	 * @param observer the observer, quick and never throwing
	 */
	public void observe(Observer observer) {
		this.observers.add(observer);
	}

	@Override
	public void markEnqueued() {
		tell("that a Sentry envelope was queued", false, (observer, ignored) -> observer.enqueued());
	}

	@Override
	public void setResult(boolean success) {
		this.success = success;
		tell("the result of a Sentry envelope", success, Observer::result);
	}

	@Override
	public boolean isSuccess() {
		return this.success;
	}

	void overflowing() {
		tell("a Sentry envelope overflow", false, (observer, ignored) -> observer.overflowing());
	}

	void overflowed(boolean stored) {
		tell("a Sentry envelope overflow", stored, Observer::overflowed);
	}

	// One observer's failure neither reaches the SDK nor keeps the others uninformed. The value
	// is passed, not captured, so telling allocates nothing per envelope.
	private void tell(String what, boolean value, ObserverCall call) {
		for (Observer observer : this.observers) {
			try {
				call.on(observer, value);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not record " + what, ex);
			}
		}
	}

	@FunctionalInterface
	private interface ObserverCall {

		void on(Observer observer, boolean value);

	}

	/**
	 * Told what happens to one envelope; must be quick and must not throw.
	 */
	public interface Observer {

		/**
		 * The SDK's transport put the envelope in its send queue.
		 */
		default void enqueued() {
		}

		/**
		 * The SDK's transport is done with the envelope: Sentry accepted it ({@code true}), or
		 * it failed (rate limited, refused by a full queue, rejected by Sentry, unreachable).
		 * Called on the sending thread when decided inside {@code send}, else on the SDK's sender
		 * thread.
		 * @param success whether Sentry accepted the envelope
		 */
		default void result(boolean success) {
		}

		/**
		 * The send queue was full: the error envelope goes to the disk cache instead of the
		 * network, and {@link #overflowed(boolean)} follows. Called on the sending thread.
		 */
		default void overflowing() {
		}

		/**
		 * The overflowed envelope was written to the disk cache ({@code true}), or was lost
		 * ({@code false}; reported to the SDK's {@code onDiscard} as {@code queue_overflow} just
		 * before). Called on the thread that writes to the disk, or the sending thread.
		 * @param stored whether the envelope is in the disk cache
		 */
		default void overflowed(boolean stored) {
		}

	}

}
