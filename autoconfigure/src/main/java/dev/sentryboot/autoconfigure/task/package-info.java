/**
 * Background work: Sentry scopes carried into executor threads, a transaction and scopes of
 * its own for each run of a {@code @Scheduled} or {@code @Async} method, and the exceptions
 * those methods throw.
 */
@NullMarked
package dev.sentryboot.autoconfigure.task;

import org.jspecify.annotations.NullMarked;
