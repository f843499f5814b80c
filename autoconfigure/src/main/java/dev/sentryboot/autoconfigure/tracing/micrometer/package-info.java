/**
 * The Micrometer Tracing bridge: one trace id for Sentry and for the tracer Spring Boot
 * configures (OpenTelemetry or Brave), and Micrometer observations as child spans of Sentry
 * transactions.
 */
@NullMarked
package dev.sentryboot.autoconfigure.tracing.micrometer;

import org.jspecify.annotations.NullMarked;
