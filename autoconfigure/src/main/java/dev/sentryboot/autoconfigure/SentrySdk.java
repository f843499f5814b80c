package dev.sentryboot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.sentry.EventProcessor;
import io.sentry.IScope;
import io.sentry.IScopes;
import io.sentry.NoOpScopes;
import io.sentry.Scope;
import io.sentry.Scopes;
import io.sentry.Sentry;
import io.sentry.SentryClient;
import io.sentry.SentryOptions;
import io.sentry.SentryOptions.BeforeBreadcrumbCallback;
import io.sentry.SentryOptions.BeforeSendCallback;
import io.sentry.SentryOptions.BeforeSendTransactionCallback;
import io.sentry.cache.EnvelopeCache;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.core.env.Environment;

/**
 * Starts the Sentry SDK for one application context and closes it with that context.
 * <p>
 * The SDK keeps its static API ({@code Sentry.captureException}, uncaught exception handler) in
 * JVM-wide state. The first context to start owns that state through {@code Sentry.init}.
 * Spring's test context cache keeps more contexts alive in one JVM: a context that starts while
 * another owns the static state gets a client of its own, so each context reports through its
 * own configuration and closing one never disables another. The request filter and the
 * exception resolver always go through {@link #getScopes()}, never the static API.
 */
public final class SentrySdk implements InitializingBean, DisposableBean {

	private static final Log logger = LogFactory.getLog(SentrySdk.class);

	private static final Object GLOBAL_LOCK = new Object();

	private final SentryProperties properties;

	private final SentryOptionsAdapter adapter;

	private final Callbacks callbacks;

	private volatile IScopes scopes = NoOpScopes.getInstance();

	private @Nullable SentryOptions options;

	private boolean ownsGlobal;

	private @Nullable CachedEnvelopeRetry retry;

	SentrySdk(SentryProperties properties, SentryOptionsAdapter adapter, Callbacks callbacks) {
		this.properties = properties;
		this.adapter = adapter;
		this.callbacks = callbacks;
	}

	/**
	 * An SDK configured from the properties alone, outside any application context: for
	 * reporting what was logged while a context failed to start, when its beans are gone. The
	 * ignore rules and the given scrubber run; application callbacks, event processors and
	 * customizers (beans) do not. Start it with {@link #afterPropertiesSet()}, close it with
	 * {@link #destroy()}.
	 */
	public static SentrySdk standalone(SentryProperties properties, Environment environment,
			@Nullable BuildProperties build, @Nullable GitProperties git, @Nullable SentryScrubber scrubber) {
		SentryOptionsAdapter adapter = new SentryOptionsAdapter(properties, environment, build, git, List.of(),
				SentrySdk.class.getClassLoader());
		return new SentrySdk(properties, adapter,
				new Callbacks(List.of(), List.of(), List.of(), List.of(), List.of(), scrubber));
	}

	/**
	 * The root scopes of this context: fork them per unit of work. No-op scopes when the SDK is
	 * off.
	 */
	public IScopes getScopes() {
		return this.scopes;
	}

	/**
	 * The scopes of the unit of work running on the calling thread (a request's or a task's
	 * forked scopes) when they belong to this context, else this context's root scopes. It is
	 * what the static API reaches on this thread, except that it never reaches the scopes of
	 * another application context.
	 */
	public IScopes getCurrentScopes() {
		IScopes current = getUnitOfWorkScopes();
		return (current != null) ? current : this.scopes;
	}

	/**
	 * The scopes of the unit of work running on the calling thread (a request's or a task's
	 * forked scopes) when they belong to this context, else {@code null}: what an integration
	 * records outside a unit of work (a pool's housekeeping thread, another context's request)
	 * would otherwise land in the root scopes every request forks. Unlike the static API, it
	 * never forks scopes for a thread that has none.
	 */
	public @Nullable IScopes getUnitOfWorkScopes() {
		IScopes root = this.scopes;
		if (root.isNoOp()) {
			return null;
		}
		IScopes current = Sentry.getCurrentScopes(false);
		// Forks share the global scope and thus the options object: that tells whose they are.
		return (!current.isNoOp() && current.getOptions() == root.getOptions()) ? current : null;
	}

	/**
	 * Whether the SDK was started for this context.
	 */
	public boolean isActive() {
		return this.options != null;
	}

	/**
	 * The options this context's SDK runs with, or {@code null} when it is off.
	 */
	public @Nullable SentryOptions getOptions() {
		return this.options;
	}

	/**
	 * Waits up to {@code sentry.flush-timeout} for queued events to be delivered.
	 */
	public void flush() {
		SentryOptions current = this.options;
		if (current != null) {
			this.scopes.flush(current.getFlushTimeoutMillis());
		}
	}

	@Override
	public void afterPropertiesSet() {
		if (!this.properties.isEnabled()) {
			logger.info("Sentry is disabled (sentry.enabled=false): no event is captured. "
					+ "Remove the property or set it to true to report errors.");
			return;
		}
		SentryOptions options = buildOptions();
		if (options.getDsn() == null) {
			logger.info("Sentry is off: no DSN is configured. Set sentry.dsn (or the SENTRY_DSN environment "
					+ "variable) to report errors to Sentry, or sentry.local.enabled=true to keep them in memory "
					+ "and see them at /actuator/sentry.");
			return;
		}
		start(options);
	}

	private SentryOptions buildOptions() {
		SentryOptions options = this.adapter.toOptions();
		IgnoreRules ignoreRules = this.adapter.ignoreRules();
		if (!ignoreRules.isEmpty()) {
			// An event processor, not a before-send step: the SDK then reports what the rules drop
			// as "event_processor" (its reason for ignored errors), apart from the callbacks' drops.
			options.addEventProcessor(ignoreRules);
		}
		this.callbacks.eventProcessors.forEach(options::addEventProcessor);
		for (SentryOptionsCustomizer customizer : this.callbacks.customizers) {
			customizer.customize(options);
		}
		// A customizer may have set its own callback: it joins the application's callbacks, so
		// the scrubber still runs last.
		List<BeforeSendCallback> events = new ArrayList<>(this.callbacks.beforeSend);
		addIfForeign(events, options.getBeforeSend());
		List<BeforeSendTransactionCallback> transactions = new ArrayList<>(this.callbacks.beforeSendTransaction);
		addIfForeign(transactions, options.getBeforeSendTransaction());
		List<BeforeBreadcrumbCallback> breadcrumbs = new ArrayList<>(this.callbacks.beforeBreadcrumb);
		addIfForeign(breadcrumbs, options.getBeforeBreadcrumb());
		BeforeSendChain chain = new BeforeSendChain(events, transactions, breadcrumbs, this.callbacks.scrubber);
		options.setBeforeSend(chain);
		options.setBeforeSendTransaction(chain);
		options.setBeforeBreadcrumb(chain);
		return options;
	}

	private static <T> void addIfForeign(List<T> callbacks, @Nullable T callback) {
		if (callback != null && !(callback instanceof BeforeSendChain)) {
			callbacks.add(callback);
		}
	}

	private void start(SentryOptions options) {
		if (this.callbacks.scrubber == null) {
			logger.warn("Sentry data scrubbing is off (sentry.scrub.enabled=false, or no SentryScrubber bean): "
					+ "events, transactions and breadcrumbs are sent as captured, with any password, token or "
					+ "personal data they hold. Remove the property to turn scrubbing back on.");
		}
		synchronized (GLOBAL_LOCK) {
			if (!Sentry.isEnabled()) {
				Sentry.init(options);
				this.ownsGlobal = true;
				this.scopes = Sentry.forkedRootScopes("sentry-boot");
			}
			else {
				this.scopes = startOwnClient(options);
			}
		}
		this.options = options;
		if (options.getCacheDirPath() != null) {
			this.retry = new CachedEnvelopeRetry(this.scopes, options,
					this.properties.getCacheRetryInterval().toMillis());
			this.retry.start();
		}
		logger.info("Sentry started: environment '" + options.getEnvironment() + "'"
				+ ((options.getRelease() != null) ? ", release '" + options.getRelease() + "'" : "")
				+ (this.ownsGlobal ? "" : " (own client: another application context owns the static Sentry API)"));
	}

	private IScopes startOwnClient(SentryOptions options) {
		options.activate();
		if (options.getCacheDirPath() != null) {
			options.setEnvelopeDiskCache(EnvelopeCache.create(options));
		}
		SentryClient client = new SentryClient(options);
		IScope global = new Scope(options);
		global.bindClient(client);
		Scopes root = new Scopes(new Scope(options), new Scope(options), global, "sentry-boot");
		// JVM-wide hooks (the uncaught exception handler) stay with the owner of the static API.
		return root;
	}

	@Override
	public void destroy() {
		SentryOptions current = this.options;
		if (current == null) {
			return;
		}
		this.options = null;
		if (this.retry != null) {
			this.retry.close();
		}
		IScopes closing = this.scopes;
		this.scopes = NoOpScopes.getInstance();
		closing.flush(current.getShutdownTimeoutMillis());
		synchronized (GLOBAL_LOCK) {
			if (this.ownsGlobal) {
				Sentry.close();
				this.ownsGlobal = false;
			}
			else {
				closing.close();
			}
		}
	}

	/**
	 * The application's beans that take part in event processing, each list in {@code @Order}.
	 */
	record Callbacks(List<EventProcessor> eventProcessors, List<BeforeSendCallback> beforeSend,
			List<BeforeSendTransactionCallback> beforeSendTransaction, List<BeforeBreadcrumbCallback> beforeBreadcrumb,
			List<SentryOptionsCustomizer> customizers, @Nullable SentryScrubber scrubber) {
	}

}
