package dev.sentryboot.autoconfigure.actuate;

import java.io.File;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.local.LocalStoreOptionsCustomizer;
import io.sentry.SentryOptions;
import io.sentry.cache.EnvelopeCache;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code sentry} health component. {@code UNKNOWN} while the SDK is off (disabled, or no
 * DSN); otherwise always {@code UP}, because the application serves its users just as well
 * when Sentry is away: failed deliveries show in the details ({@code lastDelivery},
 * {@code lastError}, {@code rateLimited}, the queue and disk cache counts), never in the
 * aggregate status or the HTTP status of the health endpoint. It is in no probe group unless
 * the application adds it.
 */
public final class SentryHealthIndicator implements HealthIndicator {

	private final SentrySdk sdk;

	private final SentryDelivery delivery;

	public SentryHealthIndicator(SentrySdk sdk, SentryDelivery delivery) {
		this.sdk = sdk;
		this.delivery = delivery;
	}

	@Override
	public Health health() {
		try {
			return describe();
		}
		catch (RuntimeException ex) {
			// An indicator that throws is reported DOWN; Sentry must never do that to the app.
			return Health.unknown().withDetail("error", ex.getClass().getName() + ": " + ex.getMessage()).build();
		}
	}

	private Health describe() {
		SentryOptions options = this.sdk.getOptions();
		if (options == null) {
			return Health.unknown().withDetail("enabled", false).build();
		}
		Health.Builder health = Health.up();
		health.withDetail("dsn", dsn(options.getDsn()));
		health.withDetail("environment", String.valueOf(options.getEnvironment()));
		if (options.getRelease() != null) {
			health.withDetail("release", options.getRelease());
		}
		health.withDetail("queued", this.delivery.queued());
		health.withDetail("diskCached", cachedEnvelopes(options.getCacheDirPath()));
		Map<String, String> limited = this.delivery.rateLimits();
		if (!limited.isEmpty()) {
			health.withDetail("rateLimited", limited);
		}
		Boolean succeeded = this.delivery.lastDeliverySucceeded();
		health.withDetail("lastDelivery", (succeeded == null) ? "none" : succeeded ? "succeeded" : "failed");
		if (this.delivery.lastSuccess() != null) {
			health.withDetail("lastSuccess", this.delivery.lastSuccess().toString());
		}
		SentryDelivery.Failure error = this.delivery.lastError();
		if (error != null) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("reason", error.reason());
			details.put("message", error.message());
			details.put("at", error.at().toString());
			health.withDetail("lastError", details);
		}
		return health.build();
	}

	/**
	 * Envelopes waiting in the disk cache; 0 without one.
	 */
	static int cachedEnvelopes(@Nullable String cacheDirPath) {
		if (cacheDirPath == null) {
			return 0;
		}
		File[] files = new File(cacheDirPath)
			.listFiles((dir, name) -> name.endsWith(EnvelopeCache.SUFFIX_ENVELOPE_FILE));
		return (files != null) ? files.length : 0;
	}

	// Host and project only: the public key in a DSN lets anyone send events to the project.
	private static Map<String, Object> dsn(@Nullable String dsn) {
		Map<String, Object> details = new LinkedHashMap<>();
		if (dsn == null || LocalStoreOptionsCustomizer.LOCAL_DSN.equals(dsn)) {
			details.put("host", "none (local event store only)");
			return details;
		}
		try {
			URI uri = URI.create(dsn);
			details.put("host", (uri.getPort() != -1) ? uri.getHost() + ":" + uri.getPort() : uri.getHost());
			String path = uri.getPath();
			details.put("projectId", path.substring(path.lastIndexOf('/') + 1));
		}
		catch (RuntimeException ex) {
			details.put("host", "unparsable");
		}
		return details;
	}

}
