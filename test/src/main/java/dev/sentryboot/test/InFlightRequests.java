package dev.sentryboot.test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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

	private final AtomicInteger count = new AtomicInteger();

	/**
	 * Counts one request; the returned action ends it, once however often it runs (the last
	 * dispatch and the async listener may both run it).
	 */
	Runnable start() {
		this.count.incrementAndGet();
		AtomicBoolean done = new AtomicBoolean();
		return () -> {
			if (done.compareAndSet(false, true)) {
				this.count.decrementAndGet();
			}
		};
	}

	int count() {
		return this.count.get();
	}

	/**
	 * Waits until no request is in flight or the timeout passes: a request that never ends (an
	 * async request a MockMvc test never dispatched) must not block a test for longer.
	 */
	void awaitNone(long timeoutMillis) {
		long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
		while (this.count.get() > 0 && System.nanoTime() < deadline) {
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
