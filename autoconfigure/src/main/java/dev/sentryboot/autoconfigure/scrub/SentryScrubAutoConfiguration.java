package dev.sentryboot.autoconfigure.scrub;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.sentryboot.autoconfigure.InvalidSentryPropertyException;
import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentryProperties;
import dev.sentryboot.autoconfigure.SentryScrubber;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The built-in scrubber, on unless {@code sentry.scrub.enabled=false}.
 */
@AutoConfiguration(after = SentryAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "sentry.scrub.enabled", matchIfMissing = true)
public final class SentryScrubAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(SentryScrubber.class)
	SentryDataScrubber sentryDataScrubber(SentryProperties properties,
			ObjectProvider<SentryDataScrubberCustomizer> customizers) {
		SentryDataScrubber.Builder builder = builder(properties);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	/**
	 * A scrubber builder configured from {@code sentry.scrub.*}; also used where no bean
	 * exists (reporting a failed startup).
	 */
	public static SentryDataScrubber.Builder builder(SentryProperties properties) {
		SentryProperties.Scrub scrub = properties.getScrub();
		SentryDataScrubber.Builder builder = SentryDataScrubber.builder()
			.keys(scrub.getKeys())
			.safeKeys(scrub.getSafeKeys())
			.replacement(scrub.getReplacement())
			.sendDefaultPii(properties.isSendDefaultPii());
		for (String regex : scrub.getPatterns()) {
			try {
				builder.pattern(Pattern.compile(regex));
			}
			catch (PatternSyntaxException ex) {
				throw new InvalidSentryPropertyException("sentry.scrub.patterns", regex,
						"not a valid regular expression (" + ex.getDescription() + ")",
						"write a Java regular expression, quoting special characters such as '(' or '[' with '\\\\'",
						ex);
			}
		}
		return builder;
	}

}
