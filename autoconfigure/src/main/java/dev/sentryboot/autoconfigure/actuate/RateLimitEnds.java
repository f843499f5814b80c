package dev.sentryboot.autoconfigure.actuate;

import java.lang.reflect.Field;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import io.sentry.DataCategory;
import io.sentry.transport.RateLimiter;
import org.jspecify.annotations.Nullable;

/**
 * Until when the SDK's rate limiter holds each data category back. The SDK answers only "limited
 * now or not" publicly; the end times Sentry announced (429, {@code Retry-After},
 * {@code X-Sentry-Rate-Limits}) sit in a private map of {@link RateLimiter}, read here for the
 * health details. Another SDK version without that map gives {@code null}, never an error.
 */
final class RateLimitEnds {

	private static final @Nullable Field ENDS = endsField();

	private RateLimitEnds() {
	}

	static @Nullable Map<DataCategory, Date> of(RateLimiter limiter) {
		if (ENDS == null) {
			return null;
		}
		try {
			if (ENDS.get(limiter) instanceof Map<?, ?> ends) {
				Map<DataCategory, Date> copy = new HashMap<>();
				// A concurrent map in the SDK: iterating while the transport updates it is safe.
				ends.forEach((category, end) -> {
					if (category instanceof DataCategory dataCategory && end instanceof Date date) {
						copy.put(dataCategory, date);
					}
				});
				return copy;
			}
		}
		catch (IllegalAccessException | RuntimeException ex) {
			// Fall through: the categories are still known, their end is not.
		}
		return null;
	}

	private static @Nullable Field endsField() {
		try {
			Field field = RateLimiter.class.getDeclaredField("sentryRetryAfterLimit");
			field.setAccessible(true);
			return field;
		}
		catch (NoSuchFieldException | RuntimeException ex) {
			return null;
		}
	}

}
