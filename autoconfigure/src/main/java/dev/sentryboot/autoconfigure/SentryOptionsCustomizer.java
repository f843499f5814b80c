package dev.sentryboot.autoconfigure;

import io.sentry.SentryOptions;

/**
 * Callback that changes the {@link SentryOptions} after {@code sentry.*} properties were
 * applied and before the SDK starts. Beans of this type run in {@code @Order}; use them for any
 * SDK option that has no property.
 */
@FunctionalInterface
public interface SentryOptionsCustomizer {

	void customize(SentryOptions options);

}
