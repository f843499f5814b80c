package dev.sentryboot.autoconfigure.local;

import dev.sentryboot.autoconfigure.SentryOptionsCustomizer;
import io.sentry.ITransportFactory;
import io.sentry.SentryOptions;


/**
 * Routes the SDK's envelopes through the {@link LocalEventStore}. Without a DSN it gives the SDK
 * a placeholder one, so events still go through the whole pipeline (processors, ignore rules,
 * callbacks) and end in the store instead of the network; with {@code sentry.local.only} they
 * end there even when a DSN is configured.
 */
public final class LocalStoreOptionsCustomizer implements SentryOptionsCustomizer {

	/** Never contacted: the local transport has no network side. */
	public static final String LOCAL_DSN = "http://local@localhost/0";

	private final LocalEventStore store;

	private final boolean only;

	LocalStoreOptionsCustomizer(LocalEventStore store, boolean only) {
		this.store = store;
		this.only = only;
	}

	@Override
	public void customize(SentryOptions options) {
		if (options.getDsn() == null || this.only) {
			if (options.getDsn() == null) {
				options.setDsn(LOCAL_DSN);
			}
			// Nothing leaves the process, so nothing needs a disk cache either.
			options.setCacheDirPath(null);
			options.setTransportFactory((o, details) -> new LocalStoreTransport(this.store, null));
			return;
		}
		ITransportFactory network = options.getTransportFactory();
		options.setTransportFactory(
				(o, details) -> new LocalStoreTransport(this.store, network.create(o, details)));
	}

}
