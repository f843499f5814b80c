package dev.sentryboot.autoconfigure;

import java.util.List;

import io.sentry.EventProcessor;
import io.sentry.IScopes;
import io.sentry.Sentry;
import io.sentry.SentryOptions.BeforeBreadcrumbCallback;
import io.sentry.SentryOptions.BeforeSendCallback;
import io.sentry.SentryOptions.BeforeSendTransactionCallback;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Core of Sentry's auto-configuration: properties, and the SDK started once per application
 * context.
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.info.ProjectInfoAutoConfiguration")
@ConditionalOnClass(Sentry.class)
@EnableConfigurationProperties(SentryProperties.class)
public final class SentryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SentrySdk sentrySdk(SentryProperties properties, Environment environment, BeanFactory beanFactory,
			ObjectProvider<BuildProperties> build, ObjectProvider<GitProperties> git,
			ObjectProvider<EventProcessor> eventProcessors, ObjectProvider<BeforeSendCallback> beforeSend,
			ObjectProvider<BeforeSendTransactionCallback> beforeSendTransaction,
			ObjectProvider<BeforeBreadcrumbCallback> beforeBreadcrumb,
			ObjectProvider<SentryOptionsCustomizer> customizers, ObjectProvider<SentryScrubber> scrubber) {
		SentryOptionsAdapter adapter = new SentryOptionsAdapter(properties, environment, build.getIfAvailable(),
				git.getIfAvailable(), applicationPackages(beanFactory), beanFactory.getClass().getClassLoader());
		SentrySdk.Callbacks callbacks = new SentrySdk.Callbacks(eventProcessors.orderedStream().toList(),
				beforeSend.orderedStream().toList(), beforeSendTransaction.orderedStream().toList(),
				beforeBreadcrumb.orderedStream().toList(), customizers.orderedStream().toList(),
				scrubber.getIfUnique());
		return new SentrySdk(properties, adapter, callbacks);
	}

	/**
	 * The scopes of the current unit of work, for code that prefers injection to the static
	 * {@code Sentry} API: inside a request or task it acts on that request's or task's scopes.
	 */
	@Bean
	@ConditionalOnMissingBean
	IScopes sentryScopes(SentrySdk sdk) {
		return CurrentScopes.proxy(sdk);
	}

	private static List<String> applicationPackages(BeanFactory beanFactory) {
		return AutoConfigurationPackages.has(beanFactory) ? AutoConfigurationPackages.get(beanFactory)
				: List.of();
	}

}
