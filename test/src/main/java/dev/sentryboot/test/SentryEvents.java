package dev.sentryboot.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.local.LocalEventStore;
import org.jspecify.annotations.Nullable;

/**
 * The events and transactions the application of a test captured, read from the local event
 * store of the test's own application context. Inject it into a test annotated with
 * {@link AutoConfigureSentryTest}; assert with {@link SentryAssertions}.
 * <p>
 * Reading waits for what is under way: requests the application is still processing (the
 * client of a test sees the response slightly before the server reports its error) and the
 * SDK's queue. So, right after a request, {@code errors()} holds its events and an empty list
 * means there are none. Events of work that runs on in the background (a thread the
 * application started) have no such end: wait for them with {@link #awaitErrors(int)}.
 */
public final class SentryEvents {

	/** How long {@link #awaitErrors(int)}, {@link #awaitTransactions(int)} and reading wait at most. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private final LocalEventStore store;

	private final SentrySdk sdk;

	private final @Nullable InFlightRequests requests;

	SentryEvents(LocalEventStore store, SentrySdk sdk, @Nullable InFlightRequests requests) {
		this.store = store;
		this.sdk = sdk;
		this.requests = requests;
	}

	/** The error events captured so far, oldest first, once pending requests are done. */
	public List<CapturedEvent> errors() {
		settle();
		return oldestFirst(this.store.events(), CapturedEvent::new);
	}

	/** The transactions captured so far, oldest first, once pending requests are done. */
	public List<CapturedTransaction> transactions() {
		settle();
		return oldestFirst(this.store.transactions(), CapturedTransaction::new);
	}

	/**
	 * Waits up to {@link #DEFAULT_TIMEOUT} until at least {@code count} error events were
	 * captured, and returns all of them, oldest first.
	 * @throws AssertionError when fewer arrived in time, listing those that did
	 */
	public List<CapturedEvent> awaitErrors(int count) {
		return awaitErrors(count, DEFAULT_TIMEOUT);
	}

	/**
	 * Waits up to {@code timeout} until at least {@code count} error events were captured, and
	 * returns all of them, oldest first.
	 * @throws AssertionError when fewer arrived in time, listing those that did
	 */
	public List<CapturedEvent> awaitErrors(int count, Duration timeout) {
		return await(count, timeout, "error events", () -> this.store.events().size(), this::errors);
	}

	/**
	 * Waits up to {@link #DEFAULT_TIMEOUT} until at least {@code count} transactions were
	 * captured, and returns all of them, oldest first.
	 * @throws AssertionError when fewer arrived in time, listing those that did
	 */
	public List<CapturedTransaction> awaitTransactions(int count) {
		return awaitTransactions(count, DEFAULT_TIMEOUT);
	}

	/**
	 * Waits up to {@code timeout} until at least {@code count} transactions were captured, and
	 * returns all of them, oldest first.
	 * @throws AssertionError when fewer arrived in time, listing those that did
	 */
	public List<CapturedTransaction> awaitTransactions(int count, Duration timeout) {
		return await(count, timeout, "transactions", () -> this.store.transactions().size(), this::transactions);
	}

	/**
	 * Forgets everything captured so far, once pending requests are done (so that their events
	 * cannot arrive afterwards). Runs before each test method by itself.
	 */
	public void clear() {
		settle();
		if (this.requests != null) {
			this.requests.forget();
		}
		this.store.clear();
	}

	private void settle() {
		if (this.requests != null) {
			this.requests.awaitNone(DEFAULT_TIMEOUT.toMillis());
		}
		// The local-only transport stores synchronously; a transport a user customizer chose may
		// queue, so the SDK is flushed all the same.
		this.sdk.flush();
	}

	private static <T> List<T> await(int count, Duration timeout, String what, IntSupplier stored,
			Supplier<List<T>> read) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (stored.getAsInt() < count) {
			if (System.nanoTime() >= deadline) {
				List<T> items = read.get();
				throw new AssertionError(String.format("Expected at least %d Sentry %s within %s, but %d arrived: %s",
						count, what, timeout, items.size(), items));
			}
			sleep();
		}
		return read.get();
	}

	private static void sleep() {
		try {
			Thread.sleep(10);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for Sentry events", ex);
		}
	}

	private static <T> List<T> oldestFirst(List<Map<String, Object>> newestFirst, Function<Map<String, Object>, T> type) {
		List<T> items = new ArrayList<>(newestFirst.size());
		for (Map<String, Object> json : newestFirst) {
			items.add(type.apply(json));
		}
		Collections.reverse(items);
		return items;
	}

	@Override
	public String toString() {
		return "SentryEvents " + oldestFirst(this.store.all(), (json) -> "transaction".equals(json.get("type"))
				? new CapturedTransaction(json) : new CapturedEvent(json));
	}

}
