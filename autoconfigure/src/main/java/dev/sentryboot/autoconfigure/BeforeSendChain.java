package dev.sentryboot.autoconfigure;

import java.util.List;

import io.sentry.Breadcrumb;
import io.sentry.Hint;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions.BeforeBreadcrumbCallback;
import io.sentry.SentryOptions.BeforeSendCallback;
import io.sentry.SentryOptions.BeforeSendTransactionCallback;
import io.sentry.protocol.SentryTransaction;
import org.jspecify.annotations.Nullable;

/**
 * The one before-send callback the SDK sees: the application's callbacks in
 * {@code @Order}, then the scrubber, which must stay last so that nothing a user callback adds
 * escapes it. A step that returns null drops the item; one that throws makes the SDK drop it too,
 * because a half-processed event may still hold personal data.
 */
final class BeforeSendChain implements BeforeSendCallback, BeforeSendTransactionCallback, BeforeBreadcrumbCallback {

	private final List<BeforeSendCallback> events;

	private final List<BeforeSendTransactionCallback> transactions;

	private final List<BeforeBreadcrumbCallback> breadcrumbs;

	private final @Nullable SentryScrubber scrubber;

	BeforeSendChain(List<BeforeSendCallback> events, List<BeforeSendTransactionCallback> transactions,
			List<BeforeBreadcrumbCallback> breadcrumbs, @Nullable SentryScrubber scrubber) {
		this.events = List.copyOf(events);
		this.transactions = List.copyOf(transactions);
		this.breadcrumbs = List.copyOf(breadcrumbs);
		this.scrubber = scrubber;
	}

	@Override
	public @Nullable SentryEvent execute(SentryEvent event, Hint hint) {
		SentryEvent current = event;
		for (int i = 0; i < this.events.size() && current != null; i++) {
			current = this.events.get(i).execute(current, hint);
		}
		return (current != null && this.scrubber != null) ? this.scrubber.scrub(current) : current;
	}

	@Override
	public @Nullable SentryTransaction execute(SentryTransaction transaction, Hint hint) {
		SentryTransaction current = transaction;
		for (int i = 0; i < this.transactions.size() && current != null; i++) {
			current = this.transactions.get(i).execute(current, hint);
		}
		if (current == null) {
			return null;
		}
		SentryTransaction sent = (this.scrubber != null) ? this.scrubber.scrub(current) : current;
		if (sent != null) {
			OverflowToDiskTransport.rememberSpans(hint, sent);
		}
		return sent;
	}

	@Override
	public @Nullable Breadcrumb execute(Breadcrumb breadcrumb, Hint hint) {
		Breadcrumb current = breadcrumb;
		for (int i = 0; i < this.breadcrumbs.size() && current != null; i++) {
			current = this.breadcrumbs.get(i).execute(current, hint);
		}
		return (current != null && this.scrubber != null) ? this.scrubber.scrub(current) : current;
	}

}
