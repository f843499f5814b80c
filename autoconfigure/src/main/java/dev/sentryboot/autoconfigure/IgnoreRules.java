package dev.sentryboot.autoconfigure;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.sentry.EventProcessor;
import io.sentry.Hint;
import io.sentry.SentryEvent;
import org.jspecify.annotations.Nullable;

/**
 * Drops events whose exception, or any of its causes, matches {@code sentry.ignore-errors} or
 * {@code sentry.ignored-exceptions}. The first of the application's event processors, so the
 * SDK counts what it drops as ignored ({@code event_processor}), not as a before-send drop. The
 * SDK's own {@code ignoredErrors} and {@code ignoredExceptionsForType} look at the top exception
 * only and match its type exactly; Spring wraps exceptions, so causes and subclasses must count
 * here.
 */
final class IgnoreRules implements EventProcessor {

	// Spring wraps exceptions several times; a bound keeps hostile cause chains cheap.
	private static final int MAX_CAUSES = 32;

	private final List<Pattern> patterns;

	private final List<Class<?>> types;

	IgnoreRules(List<Pattern> patterns, List<Class<?>> types) {
		this.patterns = List.copyOf(patterns);
		this.types = List.copyOf(types);
	}

	boolean isEmpty() {
		return this.patterns.isEmpty() && this.types.isEmpty();
	}

	@Override
	public @Nullable SentryEvent process(SentryEvent event, Hint hint) {
		Throwable throwable = event.getThrowable();
		if (throwable == null) {
			String message = (event.getMessage() != null) ? event.getMessage().getFormatted() : null;
			return (message != null && matchesPattern(message)) ? null : event;
		}
		return isIgnored(throwable) ? null : event;
	}

	boolean isIgnored(Throwable throwable) {
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable current = throwable; current != null && seen.size() < MAX_CAUSES
				&& seen.add(current); current = current.getCause()) {
			for (Class<?> type : this.types) {
				if (type.isInstance(current)) {
					return true;
				}
			}
			if (!this.patterns.isEmpty() && matchesPattern(current.getClass().getName() + ": " + current.getMessage())) {
				return true;
			}
		}
		return false;
	}

	private boolean matchesPattern(String text) {
		for (Pattern pattern : this.patterns) {
			if (pattern.matcher(text).find()) {
				return true;
			}
		}
		return false;
	}

}
