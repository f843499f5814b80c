package dev.sentryboot.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at startup when a {@code sentry.*} property has a value the SDK cannot work with.
 * {@link InvalidSentryPropertyFailureAnalyzer} turns it into a message naming the property, the
 * value and the fix.
 */
public final class InvalidSentryPropertyException extends RuntimeException {

	private final String property;

	private final @Nullable Object value;

	private final String fix;

	public InvalidSentryPropertyException(String property, @Nullable Object value, String reason, String fix) {
		this(property, value, reason, fix, null);
	}

	public InvalidSentryPropertyException(String property, @Nullable Object value, String reason, String fix,
			@Nullable Throwable cause) {
		super("Invalid value '" + value + "' for property '" + property + "': " + reason, cause);
		this.property = property;
		this.value = value;
		this.fix = fix;
	}

	public String getProperty() {
		return this.property;
	}

	public @Nullable Object getValue() {
		return this.value;
	}

	public String getFix() {
		return this.fix;
	}

}
