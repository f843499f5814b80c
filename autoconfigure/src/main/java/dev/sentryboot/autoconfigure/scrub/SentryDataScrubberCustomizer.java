package dev.sentryboot.autoconfigure.scrub;

/**
 * Adjusts the built-in {@link SentryDataScrubber} (more keys, safe keys, patterns) without
 * replacing it. Beans of this type run in {@code @Order} after {@code sentry.scrub.*} was
 * applied.
 */
@FunctionalInterface
public interface SentryDataScrubberCustomizer {

	void customize(SentryDataScrubber.Builder builder);

}
