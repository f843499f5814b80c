/**
 * Test support for applications that use sentry-boot: {@link dev.sentryboot.test.AutoConfigureSentryTest}
 * keeps every event in memory, {@link dev.sentryboot.test.SentryEvents} reads them and
 * {@link dev.sentryboot.test.SentryAssertions} asserts on them.
 */
@NullMarked
package dev.sentryboot.test;

import org.jspecify.annotations.NullMarked;
