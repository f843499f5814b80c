package dev.sentryboot.autoconfigure;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.sentry.RequestDetailsResolver;
import io.sentry.SentryLevel;
import io.sentry.SentryOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Turns {@link SentryProperties} and what the application knows about itself (profiles,
 * build-info, git, its package) into {@link SentryOptions}, validating every value on the way.
 */
final class SentryOptionsAdapter {

	private static final Log logger = LogFactory.getLog(SentryOptionsAdapter.class);

	private final SentryProperties properties;

	private final Environment environment;

	private final @Nullable BuildProperties build;

	private final @Nullable GitProperties git;

	private final List<String> applicationPackages;

	private final @Nullable ClassLoader classLoader;

	SentryOptionsAdapter(SentryProperties properties, Environment environment, @Nullable BuildProperties build,
			@Nullable GitProperties git, List<String> applicationPackages, @Nullable ClassLoader classLoader) {
		this.properties = properties;
		this.environment = environment;
		this.build = build;
		this.git = git;
		this.applicationPackages = applicationPackages;
		this.classLoader = classLoader;
	}

	/**
	 * Options for a DSN given by the user; {@code null} DSN when none is set (the caller decides
	 * whether that means "off" or "local store only").
	 */
	SentryOptions toOptions() {
		SentryProperties p = this.properties;
		SentryOptions options = new SentryOptions();
		setValidDsn(options, p.getDsn());
		options.setEnvironment(environment());
		options.setRelease(release());
		options.setDist(p.getDist());
		options.setServerName(p.getServerName());
		options.setLogger(new CommonsLoggingSentryLogger(p.isDebug()));
		options.setDebug(p.isDebug());
		options.setDiagnosticLevel(SentryLevel.DEBUG);
		options.setSampleRate(rate("sentry.sample-rate", p.getSampleRate()));
		double tracesSampleRate = rate("sentry.traces-sample-rate", p.getTracesSampleRate());
		options.setTracesSampleRate(p.isEnableTracing() ? tracesSampleRate : null);
		if (!p.getTracePropagationTargets().isEmpty()) {
			options.setTracePropagationTargets(tracePropagationTargets(p.getTracePropagationTargets()));
		}
		options.setPropagateTraceparent(p.getTracing().isPropagateTraceparent());
		options.setAttachStacktrace(p.isAttachStacktrace());
		options.setSendDefaultPii(p.isSendDefaultPii());
		options.setMaxBreadcrumbs(atLeast("sentry.max-breadcrumbs", p.getMaxBreadcrumbs(), 0));
		p.getTags().forEach(options::setTag);
		// Read by the Logback appender: these MDC keys become tags, the rest the "MDC" context.
		p.getLogging().getContextTags().forEach(options::addContextTag);
		List<String> inApp = p.getInAppIncludes().isEmpty() ? this.applicationPackages : p.getInAppIncludes();
		inApp.forEach(options::addInAppInclude);
		options.setCacheDirPath(cacheDirPath());
		options.setMaxCacheItems(atLeast("sentry.max-cache-items", p.getMaxCacheItems(), 0));
		options.setMaxQueueSize(atLeast("sentry.max-queue-size", p.getMaxQueueSize(), 1));
		// The innermost layer over HTTP: errors that do not fit the queue wait in the disk cache.
		options.setTransportFactory(new OverflowToDiskTransport.Factory(new KeepAliveHttpTransport.Factory()));
		options.setShutdownTimeoutMillis(millis("sentry.shutdown-timeout", p.getShutdownTimeout()));
		options.setFlushTimeoutMillis(millis("sentry.flush-timeout", p.getFlushTimeout()));
		if (millis("sentry.cache-retry-interval", p.getCacheRetryInterval()) == 0) {
			throw new InvalidSentryPropertyException("sentry.cache-retry-interval", p.getCacheRetryInterval(),
					"envelopes kept in the disk cache would never be sent", "use a positive duration such as 30s");
		}
		atLeast("sentry.local.capacity", p.getLocal().getCapacity(), 1);
		options.setEnableUncaughtExceptionHandler(p.isCaptureUnhandledErrors());
		// The application context owns the SDK's life: it flushes and closes it on shutdown.
		options.setEnableShutdownHook(false);
		return options;
	}

	IgnoreRules ignoreRules() {
		List<Pattern> patterns = new ArrayList<>();
		for (String regex : this.properties.getIgnoreErrors()) {
			try {
				patterns.add(Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
			}
			catch (PatternSyntaxException ex) {
				throw new InvalidSentryPropertyException("sentry.ignore-errors", regex,
						"not a valid regular expression (" + ex.getDescription() + ")",
						"write a Java regular expression, quoting special characters such as '(' or '[' with '\\\\'",
						ex);
			}
		}
		List<Class<?>> types = new ArrayList<>();
		for (String name : this.properties.getIgnoredExceptions()) {
			Class<?> type = resolve(name.trim());
			if (type != null) {
				types.add(type);
			}
		}
		return new IgnoreRules(patterns, types);
	}

	/**
	 * The SDK matches a target as a substring or as a regular expression and silently skips one
	 * that does not compile: a typo would then send trace headers nowhere, so it fails here.
	 */
	private static List<String> tracePropagationTargets(List<String> targets) {
		for (String target : targets) {
			try {
				Pattern.compile(target);
			}
			catch (PatternSyntaxException ex) {
				throw new InvalidSentryPropertyException("sentry.trace-propagation-targets", target,
						"not a valid regular expression (" + ex.getDescription() + ")",
						"write a host name such as 'api.example.com' or a Java regular expression such as "
								+ "'https://.*\\.example\\.com/.*'",
						ex);
			}
		}
		return targets;
	}

	private @Nullable Class<?> resolve(String name) {
		try {
			Class<?> type = ClassUtils.forName(name, this.classLoader);
			if (Throwable.class.isAssignableFrom(type)) {
				return type;
			}
			logger.warn("sentry.ignored-exceptions: '" + name + "' is not an exception type; it is ignored");
		}
		catch (ClassNotFoundException | LinkageError ex) {
			// Optional libraries come and go between deployments: a missing class is no reason to fail.
			logger.warn("sentry.ignored-exceptions: class '" + name + "' is not on the classpath; the entry is ignored");
		}
		return null;
	}

	private static void setValidDsn(SentryOptions options, @Nullable String dsn) {
		if (!StringUtils.hasText(dsn)) {
			return;
		}
		options.setDsn(dsn.trim());
		try {
			// Parses the DSN the way the transport will, and keeps the result in the options.
			new RequestDetailsResolver(options);
		}
		catch (RuntimeException ex) {
			throw new InvalidSentryPropertyException("sentry.dsn", dsn, "not a valid DSN (" + ex.getMessage() + ")",
					"copy the DSN from your Sentry project settings (Client Keys); it looks like "
							+ "https://<public-key>@<host>/<project-id>",
					ex);
		}
	}

	private String environment() {
		if (StringUtils.hasText(this.properties.getEnvironment())) {
			return this.properties.getEnvironment();
		}
		String[] profiles = this.environment.getActiveProfiles();
		if (profiles.length > 0) {
			return profiles[0];
		}
		// spring.profiles.default (say "dev") is what runs when nothing is activated.
		for (String profile : this.environment.getDefaultProfiles()) {
			if (!"default".equals(profile)) {
				return profile;
			}
		}
		return "production";
	}

	private @Nullable String release() {
		if (StringUtils.hasText(this.properties.getRelease())) {
			return this.properties.getRelease();
		}
		if (this.build != null && this.build.getArtifact() != null && this.build.getVersion() != null) {
			return this.build.getArtifact() + "@" + this.build.getVersion();
		}
		return (this.git != null) ? this.git.getCommitId() : null;
	}

	private String cacheDirPath() {
		if (StringUtils.hasText(this.properties.getCacheDirPath())) {
			return this.properties.getCacheDirPath();
		}
		String name = this.environment.getProperty("spring.application.name", "application")
			.replaceAll("[^A-Za-z0-9._-]", "_");
		return new File(new File(System.getProperty("java.io.tmpdir"), "sentry-boot"), name).getAbsolutePath();
	}

	private static double rate(String property, double value) {
		if (!(value >= 0.0 && value <= 1.0)) {
			throw new InvalidSentryPropertyException(property, value, "a rate must be between 0.0 and 1.0",
					"use a value from 0.0 (nothing) to 1.0 (everything), such as 0.25 for one in four");
		}
		return value;
	}

	private static int atLeast(String property, int value, int minimum) {
		if (value < minimum) {
			throw new InvalidSentryPropertyException(property, value, "must be at least " + minimum,
					"use a whole number of " + minimum + " or more");
		}
		return value;
	}

	private static long millis(String property, @Nullable Duration value) {
		if (value == null || value.isNegative()) {
			throw new InvalidSentryPropertyException(property, value, "a duration cannot be negative or empty",
					"use a positive duration such as 2s or 500ms");
		}
		return value.toMillis();
	}

}
