package dev.sentryboot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the Sentry SDK, bound from {@code sentry.*}. Everything else the SDK offers is
 * reached through {@link SentryOptionsCustomizer} beans.
 */
@ConfigurationProperties("sentry")
public class SentryProperties {

	/**
	 * Whether to enable the Sentry SDK. When false the SDK is not started at all.
	 */
	private boolean enabled = true;

	/**
	 * Data Source Name of the Sentry project events are sent to, such as
	 * "https://public-key@o0.ingest.sentry.io/0". Without it (and without the local event
	 * store) the SDK stays off.
	 */
	private @Nullable String dsn;

	/**
	 * Environment events are tagged with. Defaults to the first active Spring profile, else
	 * "production".
	 */
	private @Nullable String environment;

	/**
	 * Release events are tagged with. Defaults to "artifact@version" from build-info, else the
	 * git commit id.
	 */
	private @Nullable String release;

	/**
	 * Distribution of the release, for several builds of one release.
	 */
	private @Nullable String dist;

	/**
	 * Server name events are tagged with. Defaults to the host name.
	 */
	private @Nullable String serverName;

	/**
	 * Whether the SDK logs its own diagnostics (at DEBUG, through the application's logging).
	 */
	private boolean debug;

	/**
	 * Share of error events sent, from 0.0 to 1.0.
	 */
	private double sampleRate = 1.0;

	/**
	 * Whether performance monitoring (transactions) is enabled.
	 */
	private boolean enableTracing = true;

	/**
	 * Share of transactions sampled when tracing is enabled, from 0.0 to 1.0.
	 */
	private double tracesSampleRate = 0.1;

	/**
	 * Whether stack traces are attached to events that carry no exception (messages).
	 */
	private boolean attachStacktrace = true;

	/**
	 * Whether personal data (user, client IP, cookies) is attached to events.
	 */
	private boolean sendDefaultPii;

	/**
	 * Maximum number of breadcrumbs kept per scope.
	 */
	private int maxBreadcrumbs = 100;

	/**
	 * Tags added to every event.
	 */
	private Map<String, String> tags = new LinkedHashMap<>();

	/**
	 * Regular expressions; an error is dropped when one is found (case-insensitive) in
	 * "ClassName: message" of the exception or of any of its causes.
	 */
	private List<String> ignoreErrors = new ArrayList<>();

	/**
	 * Fully qualified exception class names that are never reported; subclasses match too.
	 */
	private List<String> ignoredExceptions = new ArrayList<>();

	/**
	 * Whether exceptions of web requests that end with a 5xx status are reported.
	 */
	private boolean captureApiErrors = true;

	/**
	 * Whether exceptions that no code catches (uncaught thread exceptions) are reported.
	 */
	private boolean captureUnhandledErrors = true;

	/**
	 * Packages whose frames are marked "in app" in stack traces. Defaults to the package of
	 * the @SpringBootApplication class.
	 */
	private List<String> inAppIncludes = new ArrayList<>();

	/**
	 * Folder where envelopes that could not be delivered are kept until Sentry is reachable
	 * again. Defaults to a folder per application under the temporary directory.
	 */
	private @Nullable String cacheDirPath;

	/**
	 * Maximum number of envelopes kept in the disk cache.
	 */
	private int maxCacheItems = 30;

	/**
	 * Maximum number of envelopes waiting in memory for delivery; more are dropped.
	 */
	private int maxQueueSize = 100;

	/**
	 * How often envelopes kept in the disk cache are sent again while the application runs;
	 * the first attempt comes one interval after startup.
	 */
	private Duration cacheRetryInterval = Duration.ofSeconds(30);

	/**
	 * Time allowed to deliver pending events when the application shuts down.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(2);

	/**
	 * Time a flush waits for pending events to be delivered.
	 */
	private Duration flushTimeout = Duration.ofSeconds(15);

	/**
	 * URLs of outgoing HTTP calls that receive the trace headers (sentry-trace, baggage,
	 * traceparent): an entry matches when the URL contains it or matches it as a regular
	 * expression. Empty means every URL.
	 */
	private List<String> tracePropagationTargets = new ArrayList<>();

	private final Tracing tracing = new Tracing();

	private final Local local = new Local();

	private final Scrub scrub = new Scrub();

	private final Jdbc jdbc = new Jdbc();

	private final Tasks tasks = new Tasks();

	private final Logging logging = new Logging();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getDsn() {
		return this.dsn;
	}

	public void setDsn(@Nullable String dsn) {
		this.dsn = dsn;
	}

	public @Nullable String getEnvironment() {
		return this.environment;
	}

	public void setEnvironment(@Nullable String environment) {
		this.environment = environment;
	}

	public @Nullable String getRelease() {
		return this.release;
	}

	public void setRelease(@Nullable String release) {
		this.release = release;
	}

	public @Nullable String getDist() {
		return this.dist;
	}

	public void setDist(@Nullable String dist) {
		this.dist = dist;
	}

	public @Nullable String getServerName() {
		return this.serverName;
	}

	public void setServerName(@Nullable String serverName) {
		this.serverName = serverName;
	}

	public boolean isDebug() {
		return this.debug;
	}

	public void setDebug(boolean debug) {
		this.debug = debug;
	}

	public double getSampleRate() {
		return this.sampleRate;
	}

	public void setSampleRate(double sampleRate) {
		this.sampleRate = sampleRate;
	}

	public boolean isEnableTracing() {
		return this.enableTracing;
	}

	public void setEnableTracing(boolean enableTracing) {
		this.enableTracing = enableTracing;
	}

	public double getTracesSampleRate() {
		return this.tracesSampleRate;
	}

	public void setTracesSampleRate(double tracesSampleRate) {
		this.tracesSampleRate = tracesSampleRate;
	}

	public boolean isAttachStacktrace() {
		return this.attachStacktrace;
	}

	public void setAttachStacktrace(boolean attachStacktrace) {
		this.attachStacktrace = attachStacktrace;
	}

	public boolean isSendDefaultPii() {
		return this.sendDefaultPii;
	}

	public void setSendDefaultPii(boolean sendDefaultPii) {
		this.sendDefaultPii = sendDefaultPii;
	}

	public int getMaxBreadcrumbs() {
		return this.maxBreadcrumbs;
	}

	public void setMaxBreadcrumbs(int maxBreadcrumbs) {
		this.maxBreadcrumbs = maxBreadcrumbs;
	}

	public Map<String, String> getTags() {
		return this.tags;
	}

	public void setTags(Map<String, String> tags) {
		this.tags = tags;
	}

	public List<String> getIgnoreErrors() {
		return this.ignoreErrors;
	}

	public void setIgnoreErrors(List<String> ignoreErrors) {
		this.ignoreErrors = ignoreErrors;
	}

	public List<String> getIgnoredExceptions() {
		return this.ignoredExceptions;
	}

	public void setIgnoredExceptions(List<String> ignoredExceptions) {
		this.ignoredExceptions = ignoredExceptions;
	}

	public boolean isCaptureApiErrors() {
		return this.captureApiErrors;
	}

	public void setCaptureApiErrors(boolean captureApiErrors) {
		this.captureApiErrors = captureApiErrors;
	}

	public boolean isCaptureUnhandledErrors() {
		return this.captureUnhandledErrors;
	}

	public void setCaptureUnhandledErrors(boolean captureUnhandledErrors) {
		this.captureUnhandledErrors = captureUnhandledErrors;
	}

	public List<String> getInAppIncludes() {
		return this.inAppIncludes;
	}

	public void setInAppIncludes(List<String> inAppIncludes) {
		this.inAppIncludes = inAppIncludes;
	}

	public @Nullable String getCacheDirPath() {
		return this.cacheDirPath;
	}

	public void setCacheDirPath(@Nullable String cacheDirPath) {
		this.cacheDirPath = cacheDirPath;
	}

	public int getMaxCacheItems() {
		return this.maxCacheItems;
	}

	public void setMaxCacheItems(int maxCacheItems) {
		this.maxCacheItems = maxCacheItems;
	}

	public int getMaxQueueSize() {
		return this.maxQueueSize;
	}

	public void setMaxQueueSize(int maxQueueSize) {
		this.maxQueueSize = maxQueueSize;
	}

	public Duration getCacheRetryInterval() {
		return this.cacheRetryInterval;
	}

	public void setCacheRetryInterval(Duration cacheRetryInterval) {
		this.cacheRetryInterval = cacheRetryInterval;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Duration getFlushTimeout() {
		return this.flushTimeout;
	}

	public void setFlushTimeout(Duration flushTimeout) {
		this.flushTimeout = flushTimeout;
	}

	public List<String> getTracePropagationTargets() {
		return this.tracePropagationTargets;
	}

	public void setTracePropagationTargets(List<String> tracePropagationTargets) {
		this.tracePropagationTargets = tracePropagationTargets;
	}

	public Tracing getTracing() {
		return this.tracing;
	}

	public Local getLocal() {
		return this.local;
	}

	public Scrub getScrub() {
		return this.scrub;
	}

	public Jdbc getJdbc() {
		return this.jdbc;
	}

	public Tasks getTasks() {
		return this.tasks;
	}

	public Logging getLogging() {
		return this.logging;
	}

	/**
	 * Web requests as transactions and trace propagation to outgoing HTTP calls.
	 */
	public static class Tracing {

		/**
		 * Ant-style patterns of request paths (within the application) that are never traced.
		 */
		private List<String> ignoredPaths = new ArrayList<>(List.of("/actuator/**", "/favicon.ico", "/error",
				"/css/**", "/js/**", "/images/**", "/webjars/**", "/static/**", "/public/**", "/resources/**",
				"/**/*.css", "/**/*.js", "/**/*.map", "/**/*.ico", "/**/*.png", "/**/*.jpg", "/**/*.jpeg",
				"/**/*.gif", "/**/*.svg", "/**/*.webp", "/**/*.woff", "/**/*.woff2", "/**/*.ttf"));

		/**
		 * Whether outgoing HTTP calls also carry the W3C "traceparent" header, for services
		 * traced by OpenTelemetry or another W3C-compatible tracer.
		 */
		private boolean propagateTraceparent = true;

		public List<String> getIgnoredPaths() {
			return this.ignoredPaths;
		}

		public void setIgnoredPaths(List<String> ignoredPaths) {
			this.ignoredPaths = ignoredPaths;
		}

		public boolean isPropagateTraceparent() {
			return this.propagateTraceparent;
		}

		public void setPropagateTraceparent(boolean propagateTraceparent) {
			this.propagateTraceparent = propagateTraceparent;
		}

	}

	/**
	 * The in-memory store of captured events, for development, the sentry actuator endpoint
	 * and tests.
	 */
	public static class Local {

		/**
		 * Whether captured events are kept in memory (and logged). Without a DSN they go
		 * nowhere else; with a DSN the store keeps a copy of what was sent.
		 */
		private boolean enabled;

		/**
		 * Maximum number of events kept; the oldest are dropped first.
		 */
		private int capacity = 100;

		/**
		 * Whether events stay in the store only, never sent to the DSN even when one is
		 * configured (tests, offline development): no network connection, no disk cache.
		 */
		private boolean only;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getCapacity() {
			return this.capacity;
		}

		public void setCapacity(int capacity) {
			this.capacity = capacity;
		}

		public boolean isOnly() {
			return this.only;
		}

		public void setOnly(boolean only) {
			this.only = only;
		}

	}

	/**
	 * Removal of secrets and personal data before anything leaves the process.
	 */
	public static class Scrub {

		/**
		 * Whether events, transactions and breadcrumbs are scrubbed before they are sent.
		 */
		private boolean enabled = true;

		/**
		 * Sensitive keys added to the built-in ones (password, token, secret, auth, cookie,
		 * session, ...), matched case-insensitively on the words of a name.
		 */
		private List<String> keys = new ArrayList<>();

		/**
		 * Keys never treated as sensitive, compared without case and separators. "token_type"
		 * is always safe.
		 */
		private List<String> safeKeys = new ArrayList<>();

		/**
		 * Regular expressions whose matches are removed from every text value, in addition to
		 * the built-in value rules.
		 */
		private List<String> patterns = new ArrayList<>();

		/**
		 * Text that replaces a removed value.
		 */
		private String replacement = "[Filtered]";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getKeys() {
			return this.keys;
		}

		public void setKeys(List<String> keys) {
			this.keys = keys;
		}

		public List<String> getSafeKeys() {
			return this.safeKeys;
		}

		public void setSafeKeys(List<String> safeKeys) {
			this.safeKeys = safeKeys;
		}

		public List<String> getPatterns() {
			return this.patterns;
		}

		public void setPatterns(List<String> patterns) {
			this.patterns = patterns;
		}

		public String getReplacement() {
			return this.replacement;
		}

		public void setReplacement(String replacement) {
			this.replacement = replacement;
		}

	}

	/**
	 * Database queries as breadcrumbs and spans, for every DataSource bean.
	 */
	public static class Jdbc {

		/**
		 * Whether statements run through DataSource beans are recorded as breadcrumbs, and as
		 * spans of the active transaction.
		 */
		private boolean enabled = true;

		/**
		 * Names of DataSource beans whose statements are not recorded.
		 */
		private List<String> excludedDatasourceBeans = new ArrayList<>();

		/**
		 * Whether the parameter values of statements are recorded. Only takes effect when
		 * send-default-pii is on too, since values often hold personal data.
		 */
		private boolean includeParameters;

		/**
		 * Duration at or above which a statement is marked slow: its breadcrumb has the warning
		 * level and its span a "slow" flag.
		 */
		private Duration slowQueryThreshold = Duration.ofSeconds(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getExcludedDatasourceBeans() {
			return this.excludedDatasourceBeans;
		}

		public void setExcludedDatasourceBeans(List<String> excludedDatasourceBeans) {
			this.excludedDatasourceBeans = excludedDatasourceBeans;
		}

		public boolean isIncludeParameters() {
			return this.includeParameters;
		}

		public void setIncludeParameters(boolean includeParameters) {
			this.includeParameters = includeParameters;
		}

		public Duration getSlowQueryThreshold() {
			return this.slowQueryThreshold;
		}

		public void setSlowQueryThreshold(Duration slowQueryThreshold) {
			this.slowQueryThreshold = slowQueryThreshold;
		}

	}

	/**
	 * Background work: @Scheduled methods, @Async methods and tasks run by the application's
	 * executors.
	 */
	public static class Tasks {

		/**
		 * Whether background work is instrumented: tasks run in a fork of the submitting
		 * thread's scopes, each @Scheduled or @Async run has scopes of its own, and their
		 * exceptions are reported (with capture-unhandled-errors).
		 */
		private boolean enabled = true;

		/**
		 * Whether each run of a @Scheduled method is recorded as a transaction (operation
		 * "task.scheduled"), sampled like requests.
		 */
		private boolean traceScheduled = true;

		/**
		 * Whether each call of an @Async method is recorded as a transaction (operation
		 * "task.async") in the trace of the caller, sampled like requests.
		 */
		private boolean traceAsync = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isTraceScheduled() {
			return this.traceScheduled;
		}

		public void setTraceScheduled(boolean traceScheduled) {
			this.traceScheduled = traceScheduled;
		}

		public boolean isTraceAsync() {
			return this.traceAsync;
		}

		public void setTraceAsync(boolean traceAsync) {
			this.traceAsync = traceAsync;
		}

	}

	/**
	 * Log events (Logback) as Sentry events and breadcrumbs.
	 */
	public static class Logging {

		/**
		 * Whether a Sentry appender is attached to the configured loggers when Logback is the
		 * logging system.
		 */
		private boolean enabled = true;

		/**
		 * Lowest level of a log event that becomes a Sentry event: TRACE, DEBUG, INFO, WARN,
		 * ERROR or OFF.
		 */
		private String minimumEventLevel = "ERROR";

		/**
		 * Lowest level of a log event that becomes a breadcrumb: TRACE, DEBUG, INFO, WARN,
		 * ERROR or OFF.
		 */
		private String minimumBreadcrumbLevel = "INFO";

		/**
		 * Names of the loggers the appender is attached to. Events of their descendants reach
		 * it too, unless additivity is off.
		 */
		private List<String> loggers = new ArrayList<>(List.of("ROOT"));

		/**
		 * MDC keys whose values become tags of events; other MDC values go to the "MDC"
		 * context.
		 */
		private List<String> contextTags = new ArrayList<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getMinimumEventLevel() {
			return this.minimumEventLevel;
		}

		public void setMinimumEventLevel(String minimumEventLevel) {
			this.minimumEventLevel = minimumEventLevel;
		}

		public String getMinimumBreadcrumbLevel() {
			return this.minimumBreadcrumbLevel;
		}

		public void setMinimumBreadcrumbLevel(String minimumBreadcrumbLevel) {
			this.minimumBreadcrumbLevel = minimumBreadcrumbLevel;
		}

		public List<String> getLoggers() {
			return this.loggers;
		}

		public void setLoggers(List<String> loggers) {
			this.loggers = loggers;
		}

		public List<String> getContextTags() {
			return this.contextTags;
		}

		public void setContextTags(List<String> contextTags) {
			this.contextTags = contextTags;
		}

	}

}
