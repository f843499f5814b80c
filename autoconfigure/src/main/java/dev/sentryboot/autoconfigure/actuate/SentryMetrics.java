package dev.sentryboot.autoconfigure.actuate;

import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sentry.SentryOptions;
import org.jspecify.annotations.Nullable;

/**
 * {@code sentry.events} (counter, tags {@code type}, {@code outcome}, {@code reason},
 * {@code release}), {@code sentry.envelopes.queued} and {@code sentry.envelopes.cached}
 * (gauges), all fed by {@link SentryDelivery}.
 */
public final class SentryMetrics implements MeterBinder {

	private final SentryDelivery delivery;

	private final Supplier<@Nullable SentryOptions> options;

	private volatile @Nullable MeterRegistry registry;

	public SentryMetrics(SentryDelivery delivery, Supplier<@Nullable SentryOptions> options) {
		this.delivery = delivery;
		this.options = options;
		delivery.addListener(new SentryDelivery.Listener() {

			@Override
			public void outcome(String type, String outcome, String reason, long count) {
				count(type, outcome, reason, count);
			}

		});
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		Gauge.builder("sentry.envelopes.queued", this.delivery, SentryDelivery::queued)
			.description("Envelopes handed to the Sentry transport and not answered yet")
			.baseUnit("envelopes")
			.register(registry);
		Gauge.builder("sentry.envelopes.cached", this, SentryMetrics::cached)
			.description("Envelopes waiting in the Sentry disk cache for a later attempt")
			.baseUnit("envelopes")
			.register(registry);
	}

	private double cached() {
		SentryOptions current = this.options.get();
		return (current != null) ? SentryHealthIndicator.cachedEnvelopes(current.getCacheDirPath()) : 0;
	}

	private void count(String type, String outcome, String reason, long count) {
		MeterRegistry current = this.registry;
		if (current == null) {
			return;
		}
		SentryOptions options = this.options.get();
		String release = (options != null && options.getRelease() != null) ? options.getRelease() : "none";
		Counter.builder("sentry.events")
			.description("Events, transactions and other items given to the Sentry SDK, by outcome")
			.tag("type", type)
			.tag("outcome", outcome)
			.tag("reason", reason)
			.tag("release", release)
			.register(current)
			.increment(count);
	}

}
