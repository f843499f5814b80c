package dev.sentryboot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a bad {@code sentry.*} value at startup: which property, which value, what to do.
 */
final class InvalidSentryPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSentryPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidSentryPropertyException cause) {
		return new FailureAnalysis(cause.getMessage(), "Update property '" + cause.getProperty() + "': " + cause.getFix(),
				cause);
	}

}
