package dev.sentryboot.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.sentryboot.autoconfigure.SentrySdk;
import io.sentry.BuildConfig;
import io.sentry.SentryOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * {@code sentry} in {@code /actuator/info}: the SDK and its version, whether it runs, and the
 * environment and release events carry, so a deployment can be matched to its issues.
 */
public final class SentryInfoContributor implements InfoContributor {

	private final SentrySdk sdk;

	public SentryInfoContributor(SentrySdk sdk) {
		this.sdk = sdk;
	}

	@Override
	public void contribute(Info.Builder builder) {
		Map<String, @Nullable Object> sentry = new LinkedHashMap<>();
		sentry.put("sdk", Map.of("name", BuildConfig.SENTRY_JAVA_SDK_NAME, "version", BuildConfig.VERSION_NAME));
		SentryOptions options = this.sdk.getOptions();
		sentry.put("enabled", options != null);
		if (options != null) {
			sentry.put("environment", options.getEnvironment());
			if (options.getRelease() != null) {
				sentry.put("release", options.getRelease());
			}
		}
		builder.withDetail("sentry", sentry);
	}

}
