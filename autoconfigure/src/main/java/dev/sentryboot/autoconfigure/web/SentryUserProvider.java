package dev.sentryboot.autoconfigure.web;

import io.sentry.protocol.User;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Supplies the user of a web request for its events. Providers run in {@code @Order} after the
 * built-in one (Spring Security): a field a provider sets replaces the value set before it,
 * and {@code null} adds nothing. Only consulted when {@code sentry.send-default-pii} is true.
 */
@FunctionalInterface
public interface SentryUserProvider {

	@Nullable User provideUser(HttpServletRequest request);

}
