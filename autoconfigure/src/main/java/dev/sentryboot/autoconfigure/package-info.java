/**
 * Core of the Sentry auto-configuration: properties, the options adapter, the SDK lifecycle and
 * the startup failure analysis.
 */
@NullMarked
package dev.sentryboot.autoconfigure;

import org.jspecify.annotations.NullMarked;
