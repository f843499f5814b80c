package dev.sentryboot.autoconfigure.actuate;

import dev.sentryboot.autoconfigure.SentryOptionsCustomizer;
import io.sentry.ITransportFactory;
import io.sentry.SentryOptions;
import io.sentry.SentryOptions.OnDiscardCallback;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Connects {@link SentryDelivery} to the SDK: the SDK's {@code onDiscard} callback (chained with
 * one a user set) and a decorator around the transport factory in place. Runs late, so it wraps
 * the transport a user customizer chose; the local event store's own wrapping comes after it.
 */
final class SentryDeliveryCustomizer implements SentryOptionsCustomizer {

	private static final Log logger = LogFactory.getLog(SentryDeliveryCustomizer.class);

	private final SentryDelivery delivery;

	SentryDeliveryCustomizer(SentryDelivery delivery) {
		this.delivery = delivery;
	}

	@Override
	public void customize(SentryOptions options) {
		OnDiscardCallback previous = options.getOnDiscard();
		options.setOnDiscard((reason, category, count) -> {
			try {
				this.delivery.discarded(reason, category, count);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not record a Sentry discard", ex);
			}
			if (previous != null) {
				previous.execute(reason, category, count);
			}
		});
		if (options.getDsn() == null) {
			// Nothing leaves the process: the local event store takes every envelope.
			return;
		}
		// The transport beneath: the overflow-to-disk HTTP transport, or one a customizer chose.
		ITransportFactory network = options.getTransportFactory();
		options.setTransportFactory(
				(o, details) -> new DeliveryTrackingTransport(network.create(o, details), this.delivery));
	}

}
