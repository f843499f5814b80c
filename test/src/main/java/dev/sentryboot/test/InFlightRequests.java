package dev.sentryboot.test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The web requests the application is still working on, counted by
 * {@link InFlightRequestsFilter}.
 * <p>
 * The client of a test can read the response before the server thread has left the filter
 * chain, and the request filter reports a failing request only when it leaves it. Once no
 * request is in flight, every event of a request the test made is in the store: a test that
 * asserts there is none can trust the answer without waiting for a timeout.
 */
final class InFlightRequests {

	/** Requests counted since the last {@link #forget()}; requests started before end there. */
	private final AtomicReference<AtomicInteger> current = new AtomicReference<>(new AtomicInteger());

	/**
	 * Counts one request; the returned action ends it, once however often it runs (the last
	 * dispatch and the async listener may both run it).
	 */
	Runnable start() {
		AtomicInteger counted = this.current.get();
		counted.incrementAndGet();
		AtomicBoolean done = new AtomicBoolean();
		return () -> {
			if (done.compareAndSet(false, true)) {
				counted.decrementAndGet();
			}
		};
	}

	int count() {
		return this.current.get().get();
	}

	/**
	 * Waits until no request is in flight or the timeout passes: a request that never ends (an
	 * async request a MockMvc test never dispatched) must not block a test for longer.
	 */
	void awaitNone(long timeoutMillis) {
		long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
		while (count() > 0 && System.nanoTime() < deadline) {
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/**
	 * Stops counting the requests in flight now, so that one that never ends costs a single
	 * wait, in the test that started it, instead of one in every later test of the context.
	 */
	void forget() {
		this.current.set(new AtomicInteger());
	}

}
