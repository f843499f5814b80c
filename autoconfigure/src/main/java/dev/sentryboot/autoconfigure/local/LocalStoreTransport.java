package dev.sentryboot.autoconfigure.local;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.sentry.Hint;
import io.sentry.JsonObjectReader;
import io.sentry.SentryEnvelope;
import io.sentry.SentryEnvelopeItem;
import io.sentry.SentryItemType;
import io.sentry.hints.Cached;
import io.sentry.hints.SubmissionResult;
import io.sentry.transport.ITransport;
import io.sentry.transport.RateLimiter;
import io.sentry.util.HintUtils;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Copies every event and transaction of an envelope into the {@link LocalEventStore}, then hands
 * the envelope to the real transport. Without one (no DSN) the store is where events end, and
 * each is logged in one line so a developer sees it in the console.
 */
final class LocalStoreTransport implements ITransport {

	private static final Log logger = LogFactory.getLog(LocalEventStore.class);

	private final LocalEventStore store;

	private final @Nullable ITransport delegate;

	LocalStoreTransport(LocalEventStore store, @Nullable ITransport delegate) {
		this.store = store;
		this.delegate = delegate;
	}

	@Override
	public void send(SentryEnvelope envelope, Hint hint) throws IOException {
		// An envelope sent again from the disk cache was copied when it was captured (or in an
		// earlier run): a second copy would show the event twice, queued for ever.
		boolean resent = HintUtils.hasType(hint, Cached.class);
		for (SentryEnvelopeItem item : resent ? List.<SentryEnvelopeItem>of() : envelope.getItems()) {
			SentryItemType type = item.getHeader().getType();
			if (type == SentryItemType.Event || type == SentryItemType.Transaction) {
				Map<String, Object> json = decode(item);
				if (json != null) {
					this.store.add(json, (this.delegate != null) ? LocalEventStore.QUEUED : LocalEventStore.STORED);
					if (this.delegate == null && type == SentryItemType.Event) {
						logger.info(describe(json));
					}
				}
			}
		}
		if (this.delegate != null) {
			this.delegate.send(envelope, hint);
		}
		else {
			HintUtils.runIfHasType(hint, SubmissionResult.class, (result) -> result.setResult(true));
		}
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Map<String, Object> decode(SentryEnvelopeItem item) {
		try (JsonObjectReader reader = new JsonObjectReader(
				new InputStreamReader(new ByteArrayInputStream(item.getData()), StandardCharsets.UTF_8))) {
			Object value = reader.nextObjectOrNull();
			return (value instanceof Map) ? (Map<String, Object>) value : null;
		}
		catch (Exception ex) {
			// A copy for local viewing must never stop delivery.
			logger.debug("Could not decode an envelope item for the local store", ex);
			return null;
		}
	}

	@SuppressWarnings("unchecked")
	static String describe(Map<String, Object> event) {
		StringBuilder line = new StringBuilder("Sentry event ").append(event.get("event_id"))
			.append(" [")
			// Sentry reads a missing level as "error", as exceptions captured without one are.
			.append((event.get("level") != null) ? event.get("level") : "error")
			.append("]");
		Object exception = event.get("exception");
		if (exception instanceof Map<?, ?> map && map.get("values") instanceof List<?> values && !values.isEmpty()
				&& values.get(values.size() - 1) instanceof Map<?, ?> main) {
			line.append(' ').append(main.get("type")).append(": ").append(main.get("value"));
		}
		else if (event.get("message") instanceof Map<?, ?> message) {
			Object text = (message.get("formatted") != null) ? message.get("formatted") : message.get("message");
			line.append(' ').append(text);
		}
		return line.append(" (kept in the local event store, see /actuator/sentry)").toString();
	}

	@Override
	public void flush(long timeoutMillis) {
		if (this.delegate != null) {
			this.delegate.flush(timeoutMillis);
		}
	}

	@Override
	public @Nullable RateLimiter getRateLimiter() {
		return (this.delegate != null) ? this.delegate.getRateLimiter() : null;
	}

	@Override
	public boolean isHealthy() {
		return this.delegate == null || this.delegate.isHealthy();
	}

	@Override
	public void close() throws IOException {
		close(false);
	}

	@Override
	public void close(boolean isRestarting) throws IOException {
		if (this.delegate != null) {
			this.delegate.close(isRestarting);
		}
	}

}
