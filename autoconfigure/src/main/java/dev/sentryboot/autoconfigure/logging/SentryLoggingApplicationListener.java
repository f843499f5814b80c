package dev.sentryboot.autoconfigure.logging;

import java.io.IOException;
import java.util.Properties;

import dev.sentryboot.autoconfigure.SentryProperties;
import dev.sentryboot.autoconfigure.SentryScrubber;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.scrub.SentryScrubAutoConfiguration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Attaches Sentry's Logback appender as soon as Spring Boot has initialised Logback (right after
 * {@link LoggingApplicationListener}), so that errors logged while the application starts are
 * reported too; hands what was logged before the SDK ran to the context's {@link SentrySdk}
 * once the context is refreshed; reports a failed startup; and detaches the appender when the
 * context closes.
 * <p>
 * A listener rather than an auto-configuration: beans exist only long after logging starts.
 * One instance per {@code SpringApplication} run (registered in {@code spring.factories}).
 */
public final class SentryLoggingApplicationListener implements GenericApplicationListener {

	/**
	 * Right after Spring Boot has initialised the logging system.
	 */
	public static final int ORDER = LoggingApplicationListener.DEFAULT_ORDER + 1;

	private static final Log logger = LogFactory.getLog(SentryLoggingApplicationListener.class);

	private static final boolean LOGBACK_PRESENT = isPresent("ch.qos.logback.classic.LoggerContext")
			&& isPresent("io.sentry.logback.SentryAppender") && isPresent("org.slf4j.LoggerFactory");

	private @Nullable LogbackAttachment attachment;

	private @Nullable SentryProperties properties;

	private @Nullable ConfigurableEnvironment environment;

	private @Nullable ApplicationContext context;

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public boolean supportsEventType(ResolvableType eventType) {
		Class<?> type = eventType.getRawClass();
		return type != null && (ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type)
				|| ApplicationPreparedEvent.class.isAssignableFrom(type)
				|| ContextRefreshedEvent.class.isAssignableFrom(type)
				|| ContextClosedEvent.class.isAssignableFrom(type)
				|| ApplicationFailedEvent.class.isAssignableFrom(type));
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
			attach(prepared.getEnvironment());
		}
		else if (event instanceof ApplicationPreparedEvent prepared) {
			this.context = prepared.getApplicationContext();
		}
		else if (event instanceof ContextRefreshedEvent refreshed && isOurs(refreshed.getApplicationContext())) {
			refreshed(refreshed.getApplicationContext());
		}
		else if (event instanceof ContextClosedEvent closed && isOurs(closed.getApplicationContext())) {
			detach();
		}
		else if (event instanceof ApplicationFailedEvent failed) {
			failed(failed.getException());
		}
	}

	private void attach(ConfigurableEnvironment environment) {
		if (!LOGBACK_PRESENT || this.attachment != null) {
			return;
		}
		SentryProperties properties = Binder.get(environment).bindOrCreate("sentry", SentryProperties.class);
		this.properties = properties;
		this.environment = environment;
		// An invalid level stops the application here, with the failure analysis.
		this.attachment = LogbackAttachment.attach(properties);
	}

	private boolean isOurs(ApplicationContext context) {
		return this.attachment != null && context == this.context;
	}

	private void refreshed(ApplicationContext context) {
		LogbackAttachment attachment = this.attachment;
		if (attachment == null) {
			return;
		}
		SentrySdk sdk = context.getBeanProvider(SentrySdk.class).getIfUnique();
		attachment.live((sdk != null && sdk.isActive()) ? sdk.getScopes() : null);
	}

	private void detach() {
		LogbackAttachment attachment = this.attachment;
		this.attachment = null;
		if (attachment != null) {
			attachment.detach();
		}
	}

	private void failed(Throwable failure) {
		LogbackAttachment attachment = this.attachment;
		if (attachment == null) {
			return;
		}
		if (!attachment.isKeeping()) {
			// The context's SDK still runs (a runner failed): the failure's log line reaches it,
			// and closing the context detaches the appender.
			return;
		}
		this.attachment = null;
		attachment.failed(failure, this::startupFailureSdk);
	}

	/**
	 * The context's beans are gone by the time Spring Boot logs the failure: an SDK from the
	 * properties alone, with the built-in scrubber, sends what the startup logged.
	 */
	private @Nullable SentrySdk startupFailureSdk() {
		SentryProperties properties = this.properties;
		ConfigurableEnvironment environment = this.environment;
		if (properties == null || environment == null || !properties.isEnabled()
				|| !StringUtils.hasText(properties.getDsn())) {
			return null;
		}
		try {
			SentryScrubber scrubber = properties.getScrub().isEnabled()
					? SentryScrubAutoConfiguration.builder(properties).build() : null;
			Properties build = projectInfo(environment, "spring.info.build.location",
					"classpath:META-INF/build-info.properties", "build.");
			Properties git = projectInfo(environment, "spring.info.git.location", "classpath:git.properties", "git.");
			SentrySdk sdk = SentrySdk.standalone(properties, environment,
					(build != null) ? new BuildProperties(build) : null, (git != null) ? new GitProperties(git) : null,
					scrubber);
			sdk.afterPropertiesSet();
			return sdk;
		}
		catch (RuntimeException ex) {
			// An invalid sentry.* property may be the very failure: nothing can be sent then.
			logger.debug("Sentry could not be started to report the failed startup", ex);
			return null;
		}
	}

	/**
	 * Build and git information as Spring Boot's project info auto-configuration reads them, so
	 * that a failed startup is reported with the release of the application's other events.
	 */
	private static @Nullable Properties projectInfo(ConfigurableEnvironment environment, String locationProperty,
			String defaultLocation, String prefix) {
		Resource resource = new DefaultResourceLoader()
			.getResource(environment.getProperty(locationProperty, defaultLocation));
		if (!resource.exists()) {
			return null;
		}
		try {
			Properties source = PropertiesLoaderUtils.loadProperties(resource);
			Properties info = new Properties();
			source.stringPropertyNames()
				.stream()
				.filter((key) -> key.startsWith(prefix))
				.forEach((key) -> info.put(key.substring(prefix.length()), source.getProperty(key)));
			return info;
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static boolean isPresent(String className) {
		return ClassUtils.isPresent(className, SentryLoggingApplicationListener.class.getClassLoader());
	}

}
