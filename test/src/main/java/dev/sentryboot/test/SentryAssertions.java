package dev.sentryboot.test;

/**
 * AssertJ entry points for what a test's application sent to Sentry:
 *
 * <pre class="code">
 * assertThat(sentryEvents).hasSize(1)
 *     .first()
 *     .hasExceptionOfType(IllegalStateException.class)
 *     .hasTag("feature", "checkout")
 *     .hasUser("alice")
 *     .hasBreadcrumb("query", "FROM orders");
 * assertThatTransactions(sentryEvents).hasTransactionNamed("GET /orders/{id}")
 *     .hasSpanWithOp("db.sql.query");
 * </pre>
 *
 * Reading {@link SentryEvents} waits for the requests the application is still processing, so
 * these assertions hold right after a request, also with a server on a random port.
 */
public final class SentryAssertions {

	private SentryAssertions() {
	}

	/** The error events captured so far, oldest first. */
	public static CapturedEventsAssert assertThat(SentryEvents events) {
		return new CapturedEventsAssert(events.errors());
	}

	/** The transactions captured so far, oldest first. */
	public static CapturedTransactionsAssert assertThatTransactions(SentryEvents events) {
		return new CapturedTransactionsAssert(events.transactions());
	}

	public static CapturedEventAssert assertThat(CapturedEvent event) {
		return new CapturedEventAssert(event);
	}

	public static CapturedTransactionAssert assertThat(CapturedTransaction transaction) {
		return new CapturedTransactionAssert(transaction);
	}

}
