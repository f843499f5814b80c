package dev.sentryboot.autoconfigure;

import io.sentry.Breadcrumb;
import io.sentry.SentryEvent;
import io.sentry.protocol.SentryTransaction;

/**
 * The last step before the transport: removes secrets and personal data from what is about to
 * leave the process. It runs after the ignore rules and every application callback, so nothing
 * a callback adds escapes it. Define a bean of this type to replace the built-in one.
 */
public interface SentryScrubber {

	SentryEvent scrub(SentryEvent event);

	SentryTransaction scrub(SentryTransaction transaction);

	Breadcrumb scrub(Breadcrumb breadcrumb);

}
