package dev.sentryboot.autoconfigure.actuate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.sentry.DataCategory;
import io.sentry.SentryEnvelope;
import io.sentry.SentryEnvelopeItem;
import io.sentry.SentryItemType;
import io.sentry.clientreport.DiscardReason;
import io.sentry.transport.RateLimiter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What became of what the application gave the Sentry SDK: sent (Sentry answered 2xx), dropped
 * (with the SDK's discard reason) or kept in the disk cache after a network error. The one source
 * of the {@code sentry} health indicator, the {@code sentry.events} metrics and the delivery
 * status in the {@code sentry} endpoint.
 * <p>
 * Two SDK hooks feed it, both installed by {@link SentryDeliveryCustomizer}: the public
 * {@code onDiscard} callback, through which the SDK reports every item it drops and why (the
 * same counts it sends to Sentry as client reports), and a transport decorator that learns the
 * answer to each envelope by observing its {@code EnvelopeOutcome} hint (the SDK's
 * {@code SubmissionResult}, shared with the overflow-to-disk transport, which also says when a
 * full queue sent the envelope to the disk cache). The SDK reports a
 * drop on the thread that drops, just before it marks the envelope failed; that is how a failed
 * envelope is matched to its reason.
 */
public final class SentryDelivery {

	private static final Log logger = LogFactory.getLog(SentryDelivery.class);

	/** Outcome of items Sentry accepted. */
	public static final String SENT = "sent";

	/** Outcome of items the SDK (or Sentry, with 429) discarded. */
	public static final String DROPPED = "dropped";

	/** Outcome of items that failed on the network and wait in the disk cache for a later pass. */
	public static final String CACHED = "cached";

	/** Reason of sent items: metrics need the same tag keys on every counter of a name. */
	public static final String NO_REASON = "none";

	private final ThreadLocal<@Nullable TrackedEnvelope> sending = new ThreadLocal<>();

	// The reason the SDK's sender thread reported just before marking an envelope failed. An
	// envelope sent again from the disk cache carries the SDK's own hint, so its failure leaves
	// no result here; its reason then stays until the next tracked result on that thread.
	private final ThreadLocal<@Nullable DiscardReason> transportLoss = new ThreadLocal<>();

	private final AtomicLong queued = new AtomicLong();

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	private volatile @Nullable Instant lastSuccess;

	private volatile @Nullable Failure lastError;

	private volatile @Nullable RateLimiter rateLimiter;

	/**
	 * Envelopes handed to the transport whose answer is still to come.
	 */
	public long queued() {
		return this.queued.get();
	}

	/**
	 * When Sentry last accepted an envelope, or {@code null} before the first.
	 */
	public @Nullable Instant lastSuccess() {
		return this.lastSuccess;
	}

	/**
	 * The last delivery failure or transport-side loss, or {@code null} when there was none.
	 */
	public @Nullable Failure lastError() {
		return this.lastError;
	}

	/**
	 * Whether the last envelope Sentry answered was accepted; {@code null} before any answer.
	 */
	public @Nullable Boolean lastDeliverySucceeded() {
		Instant success = this.lastSuccess;
		Failure failure = this.lastError;
		if (success == null && failure == null) {
			return null;
		}
		return failure == null || (success != null && !success.isBefore(failure.at()));
	}

	/**
	 * Until when Sentry rate-limits each data category (such as {@code error} or
	 * {@code transaction}; {@code all} for every category), as ISO-8601 instants; empty when
	 * nothing is limited. {@code unknown} instead of a time should the SDK not tell.
	 */
	public Map<String, String> rateLimits() {
		RateLimiter limiter = this.rateLimiter;
		Map<String, String> limits = new TreeMap<>();
		if (limiter == null) {
			return limits;
		}
		Map<DataCategory, Date> ends = RateLimitEnds.of(limiter);
		if (ends == null && limiter.isActiveForCategory(DataCategory.Unknown)) {
			// The SDK answers "unknown" with true only while every category is limited.
			limits.put("all", "unknown");
			return limits;
		}
		Date now = new Date();
		for (DataCategory category : DataCategory.values()) {
			if (category == DataCategory.Unknown) {
				continue;
			}
			String name = (category == DataCategory.All) ? "all" : category.getCategory();
			if (ends != null) {
				Date end = ends.get(category);
				if (end != null && end.after(now)) {
					limits.put(name, end.toInstant().toString());
				}
			}
			else if (category != DataCategory.All && limiter.isActiveForCategory(category)) {
				limits.put(name, "unknown");
			}
		}
		return limits;
	}

	void addListener(Listener listener) {
		this.listeners.add(listener);
	}

	void transportCreated(@Nullable RateLimiter limiter) {
		this.rateLimiter = limiter;
	}

	// Called by the SDK for every item it drops (SentryOptions.onDiscard).
	void discarded(DiscardReason reason, DataCategory category, long count) {
		TrackedEnvelope current = this.sending.get();
		if (current != null) {
			// Only these two drop the envelope being sent; a cache overflow inside send() is
			// about an older one.
			if (reason == DiscardReason.RATELIMIT_BACKOFF || reason == DiscardReason.QUEUE_OVERFLOW) {
				current.reasonInSend = reason;
			}
		}
		else if (reason == DiscardReason.NETWORK_ERROR || reason == DiscardReason.SEND_ERROR) {
			this.transportLoss.set(reason);
		}
		if (isTransportLoss(reason)) {
			this.lastError = new Failure(reason.getReason(), describe(reason, category), Instant.now());
		}
		String type = countedType(category);
		if (type != null) {
			notify(type, DROPPED, reason.getReason(), count);
		}
	}

	TrackedEnvelope track(SentryEnvelope envelope) {
		this.queued.incrementAndGet();
		return new TrackedEnvelope(this, envelope);
	}

	void beforeSend(TrackedEnvelope tracked) {
		this.sending.set(tracked);
	}

	void afterSend(TrackedEnvelope tracked, @Nullable Exception failure) {
		this.sending.remove();
		if (tracked.overflowing) {
			// On its way to the disk cache: overflowed() resolves it once it is written.
			return;
		}
		if (failure != null) {
			resolve(tracked, DROPPED, DiscardReason.NETWORK_ERROR.getReason(), false, "Sending failed: " + failure);
		}
		else if (tracked.syncResult != null) {
			resolveSync(tracked, tracked.syncResult);
		}
		else if (tracked.reasonInSend == DiscardReason.QUEUE_OVERFLOW) {
			// Refused by a full queue: no answer will ever come for it.
			resolve(tracked, DROPPED, DiscardReason.QUEUE_OVERFLOW.getReason(), true, null);
		}
	}

	void result(TrackedEnvelope tracked, boolean success) {
		if (this.sending.get() == tracked) {
			// Decided inside send(): the reason may be reported after the result (queue full).
			tracked.syncResult = success;
			return;
		}
		DiscardReason loss = this.transportLoss.get();
		this.transportLoss.remove();
		if (success) {
			resolve(tracked, SENT, NO_REASON, false, null);
		}
		else if (loss != null) {
			resolve(tracked, DROPPED, loss.getReason(), true, null);
		}
		else if (isRateLimited(tracked.envelope)) {
			// A 429: the SDK leaves counting it to Sentry, but for this application it is lost.
			resolve(tracked, DROPPED, DiscardReason.RATELIMIT_BACKOFF.getReason(), false,
					"Sentry answered 429 Too Many Requests: rate limited");
		}
		else {
			resolve(tracked, CACHED, DiscardReason.NETWORK_ERROR.getReason(), false,
					"Sentry could not be reached; the envelope is kept in the disk cache for a later attempt");
		}
	}

	// The queue was full and the overflow transport wrote the envelope to the disk cache (or
	// could not; it reported that loss through onDiscard first).
	void overflowed(TrackedEnvelope tracked, boolean stored) {
		if (stored) {
			// The SDK counted it lost already when its own queue refused it before ours was full.
			resolve(tracked, CACHED, DiscardReason.QUEUE_OVERFLOW.getReason(), tracked.reasonInSend != null,
					"The send queue was full (sentry.max-queue-size); the envelope is kept in the disk cache");
		}
		else {
			resolve(tracked, DROPPED, DiscardReason.QUEUE_OVERFLOW.getReason(), true, null);
		}
	}

	private void resolveSync(TrackedEnvelope tracked, boolean success) {
		DiscardReason reason = tracked.reasonInSend;
		if (success) {
			resolve(tracked, SENT, NO_REASON, false, null);
		}
		else if (reason != null) {
			resolve(tracked, DROPPED, reason.getReason(), true, null);
		}
		else {
			// Refused by the queue and written to the disk cache instead.
			resolve(tracked, CACHED, DiscardReason.QUEUE_OVERFLOW.getReason(), false,
					"The send queue was full (sentry.max-queue-size); the envelope is kept in the disk cache");
		}
	}

	// counted: the SDK already reported the drop through onDiscard, so the metrics have it.
	private void resolve(TrackedEnvelope tracked, String outcome, String reason, boolean counted,
			@Nullable String message) {
		if (!tracked.resolve()) {
			return;
		}
		this.queued.decrementAndGet();
		try {
			String eventId = (tracked.envelope.getHeader().getEventId() != null)
					? tracked.envelope.getHeader().getEventId().toString() : null;
			boolean success = outcome.equals(SENT);
			if (success) {
				this.lastSuccess = Instant.now();
			}
			else if (message != null) {
				this.lastError = new Failure(reason, message, Instant.now());
			}
			if (!counted) {
				for (SentryEnvelopeItem item : tracked.envelope.getItems()) {
					String type = itemType(item.getHeader().getType());
					if (type != null) {
						notify(type, outcome, reason, 1);
					}
				}
			}
			if (eventId != null) {
				String status = success ? "sent"
						: (outcome.equals(CACHED) || reason.equals(DiscardReason.NETWORK_ERROR.getReason())
								|| reason.equals(DiscardReason.SEND_ERROR.getReason())) ? "failed" : "dropped";
				for (Listener listener : this.listeners) {
					listener.envelope(eventId, status, success ? null : reason);
				}
			}
		}
		catch (RuntimeException ex) {
			// Bookkeeping must never disturb delivery.
			logger.debug("Could not record the outcome of a Sentry envelope", ex);
		}
	}

	private boolean isRateLimited(SentryEnvelope envelope) {
		RateLimiter limiter = this.rateLimiter;
		if (limiter == null) {
			return false;
		}
		for (SentryEnvelopeItem item : envelope.getItems()) {
			if (limiter.isActiveForCategory(category(item.getHeader().getType()))) {
				return true;
			}
		}
		return false;
	}

	private void notify(String type, String outcome, String reason, long count) {
		for (Listener listener : this.listeners) {
			try {
				listener.outcome(type, outcome, reason, count);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not record a Sentry delivery outcome", ex);
			}
		}
	}

	private static boolean isTransportLoss(DiscardReason reason) {
		return switch (reason) {
			case QUEUE_OVERFLOW, CACHE_OVERFLOW, RATELIMIT_BACKOFF, NETWORK_ERROR, SEND_ERROR -> true;
			default -> false;
		};
	}

	private static String describe(DiscardReason reason, DataCategory category) {
		return switch (reason) {
			case QUEUE_OVERFLOW -> "The send queue was full (sentry.max-queue-size): " + category.getCategory()
					+ " dropped";
			case CACHE_OVERFLOW -> "The disk cache was full (sentry.max-cache-items): its oldest envelope was deleted";
			case RATELIMIT_BACKOFF -> "Sentry rate-limits " + category.getCategory()
					+ ": held back until the limit ends";
			case NETWORK_ERROR -> "Sentry could not be reached (connection refused or timed out)";
			case SEND_ERROR -> "Sentry rejected the envelope with an error status (4xx or 5xx)";
			default -> reason.getReason();
		};
	}

	/**
	 * The {@code type} tag of an item kind counted one per item; {@code null} for byte counts and
	 * the spans inside a transaction (counted with it).
	 */
	static @Nullable String countedType(DataCategory category) {
		String name = category.getCategory();
		if (category == DataCategory.Span || name.endsWith("_byte")) {
			return null;
		}
		return name;
	}

	private static @Nullable String itemType(SentryItemType type) {
		return (type == SentryItemType.ClientReport) ? null : countedType(category(type));
	}

	private static DataCategory category(SentryItemType type) {
		return switch (type) {
			case Event -> DataCategory.Error;
			case Transaction -> DataCategory.Transaction;
			case Session -> DataCategory.Session;
			case Attachment -> DataCategory.Attachment;
			case CheckIn -> DataCategory.Monitor;
			case Log -> DataCategory.LogItem;
			case Feedback -> DataCategory.Feedback;
			case Profile -> DataCategory.Profile;
			case Span -> DataCategory.Span;
			default -> DataCategory.Default;
		};
	}

	/**
	 * A delivery failure or a transport-side loss: the SDK's discard reason, what happened and
	 * when.
	 */
	public record Failure(String reason, String message, Instant at) {
	}

	/**
	 * Told about every outcome; must be quick and must not throw.
	 */
	interface Listener {

		default void outcome(String type, String outcome, String reason, long count) {
		}

		default void envelope(String eventId, String status, @Nullable String reason) {
		}

	}

}
