package dev.sentryboot.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Gives the context of a test annotated with {@link AutoConfigureSentryTest} the properties
 * that keep its events in memory. They go first among the property sources, above
 * {@code application.yml}, environment variables and test properties, because a test that asks
 * for no network must not reach the DSN it happens to find in its configuration.
 */
final class SentryTestContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		AutoConfigureSentryTest annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				AutoConfigureSentryTest.class);
		return (annotation != null) ? new SentryTestContextCustomizer(annotation.tracesSampleRate()) : null;
	}

	/** Equal for equal settings, so that Spring's context cache shares one context between them. */
	private record SentryTestContextCustomizer(double tracesSampleRate) implements ContextCustomizer {

		static final String PROPERTY_SOURCE_NAME = "sentryTest";

		@Override
		public void customizeContext(ConfigurableApplicationContext context,
				MergedContextConfiguration mergedConfig) {
			Map<String, Object> properties = new LinkedHashMap<>();
			properties.put("sentry.enabled", "true");
			properties.put("sentry.local.enabled", "true");
			properties.put("sentry.local.only", "true");
			properties.put("sentry.traces-sample-rate", Double.toString(this.tracesSampleRate));
			context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
		}

	}

}
