/**
 * Log events as Sentry events and breadcrumbs: Sentry's Logback appender, attached as soon as
 * Spring Boot has initialised Logback, with the events of the startup kept until the SDK runs.
 */
@NullMarked
package dev.sentryboot.autoconfigure.logging;

import org.jspecify.annotations.NullMarked;
