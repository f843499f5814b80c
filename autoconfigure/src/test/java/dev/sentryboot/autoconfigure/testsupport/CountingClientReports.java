package dev.sentryboot.autoconfigure.testsupport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.sentry.DataCategory;
import io.sentry.SentryEnvelope;
import io.sentry.SentryEnvelopeItem;
import io.sentry.SentryOptions;
import io.sentry.clientreport.DiscardReason;
import io.sentry.clientreport.IClientReportRecorder;

import org.springframework.test.util.ReflectionTestUtils;

/**
 * Counts what the SDK records as lost, by reason and item type, then lets the SDK's own recorder
 * do its work. The counts on the wire are no substitute: the SDK attaches a client report to the
 * next envelope it sends, and a send that fails while Sentry is away takes that report with it.
 */
public final class CountingClientReports implements IClientReportRecorder {

	private final IClientReportRecorder delegate;

	private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

	private CountingClientReports(IClientReportRecorder delegate) {
		this.delegate = delegate;
	}

	/** The SDK offers no setter for its recorder: tests reach the field. */
	public static CountingClientReports install(SentryOptions options) {
		CountingClientReports counting = new CountingClientReports(options.getClientReportRecorder());
		ReflectionTestUtils.setField(options, "clientReportRecorder", counting);
		return counting;
	}

	public long count(DiscardReason reason, String itemType) {
		AtomicLong count = this.counts.get(reason.getReason() + ":" + itemType);
		return (count != null) ? count.get() : 0;
	}

	public Map<String, Long> snapshot() {
		Map<String, Long> copy = new java.util.TreeMap<>();
		this.counts.forEach((key, value) -> copy.put(key, value.get()));
		return copy;
	}

	private void add(DiscardReason reason, String type, long quantity) {
		this.counts.computeIfAbsent(reason.getReason() + ":" + type, (key) -> new AtomicLong()).addAndGet(quantity);
	}

	private void add(DiscardReason reason, SentryEnvelopeItem item) {
		String type = item.getHeader().getType().getItemType();
		if (!"client_report".equals(type)) {
			add(reason, type, 1);
		}
	}

	@Override
	public void recordLostEnvelope(DiscardReason reason, SentryEnvelope envelope) {
		if (envelope != null) {
			envelope.getItems().forEach((item) -> add(reason, item));
		}
		this.delegate.recordLostEnvelope(reason, envelope);
	}

	@Override
	public void recordLostEnvelopeItem(DiscardReason reason, SentryEnvelopeItem item) {
		if (item != null) {
			add(reason, item);
		}
		this.delegate.recordLostEnvelopeItem(reason, item);
	}

	@Override
	public void recordLostEvent(DiscardReason reason, DataCategory category) {
		recordLostEvent(reason, category, 1);
	}

	@Override
	public void recordLostEvent(DiscardReason reason, DataCategory category, long count) {
		add(reason, "category:" + category.getCategory(), count);
		this.delegate.recordLostEvent(reason, category, count);
	}

	@Override
	public SentryEnvelope attachReportToEnvelope(SentryEnvelope envelope) {
		return this.delegate.attachReportToEnvelope(envelope);
	}

}
