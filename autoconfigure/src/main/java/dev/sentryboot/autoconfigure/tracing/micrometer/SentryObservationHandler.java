package dev.sentryboot.autoconfigure.tracing.micrometer;

import java.util.function.Supplier;

import dev.sentryboot.autoconfigure.SentrySdk;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationView;
import io.sentry.IScopes;
import io.sentry.ISpan;
import io.sentry.SpanStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Records Micrometer observations ({@code @Observed} methods, the application's own
 * observations, those of libraries) as child spans of the Sentry transaction: op the
 * observation's name, description its contextual name, its low-cardinality key values as span
 * data, {@code internal_error} and the exception when it failed. A span's parent is the Sentry
 * span of the closest parent observation that has one, else the active Sentry span of the
 * thread; without a sampled transaction nothing is recorded.
 * <p>
 * Observations Sentry already records by other means are left out, so no operation appears
 * twice: the HTTP server request (it is the transaction), client HTTP calls (the
 * {@code http.client} spans of the RestClient, RestTemplate and WebClient instrumentation),
 * scheduled task runs (a scheduler thread has no transaction; the task instrumentation records
 * them), and, when Sentry records JDBC itself, datasource-micrometer's JDBC observations.
 * Never fails an observation.
 */
public final class SentryObservationHandler implements ObservationHandler<Observation.Context> {

	static final String ORIGIN = "auto.observation.sentry_boot";

	private static final Log logger = LogFactory.getLog(SentryObservationHandler.class);

	private static final String SPAN = SentryObservationHandler.class.getName() + ".span";

	private static final String[] RECORDED_BY_SENTRY = {
			"org.springframework.http.server.observation.ServerRequestObservationContext",
			"org.springframework.http.server.reactive.observation.ServerRequestObservationContext",
			"org.springframework.http.client.observation.ClientRequestObservationContext",
			"org.springframework.web.reactive.function.client.ClientRequestObservationContext",
			"org.springframework.scheduling.support.ScheduledTaskObservationContext" };

	// datasource-micrometer's contexts (connection, query, result set).
	private static final String JDBC_CONTEXT_PACKAGE = "net.ttddyy.observation.tracing.";

	private final Supplier<@Nullable SentrySdk> sdk;

	private final ClassValue<Boolean> supported;

	/**
	 * @param sdk this application's SDK
	 * @param sentryRecordsJdbc whether Sentry's own JDBC instrumentation is on, so that JDBC
	 * observations would be recorded twice
	 */
	public SentryObservationHandler(Supplier<@Nullable SentrySdk> sdk, boolean sentryRecordsJdbc) {
		this.sdk = sdk;
		this.supported = new ClassValue<>() {
			@Override
			protected Boolean computeValue(Class<?> type) {
				return !isRecordedBySentry(type, sentryRecordsJdbc);
			}
		};
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return this.supported.get(context.getClass());
	}

	@Override
	public void onStart(Observation.Context context) {
		try {
			ISpan parent = parent(context);
			if (parent == null || parent.isNoOp()) {
				return;
			}
			ISpan span = parent.startChild(context.getName(), description(context));
			span.getSpanContext().setOrigin(ORIGIN);
			context.put(SPAN, span);
		}
		catch (Throwable ex) {
			logger.debug("Sentry could not start the span of an observation", ex);
		}
	}

	@Override
	public void onError(Observation.Context context) {
		ISpan span = context.get(SPAN);
		Throwable error = context.getError();
		if (span != null && error != null) {
			try {
				// The SDK also puts a later event of this exception on this span.
				span.setThrowable(error);
			}
			catch (Throwable ex) {
				logger.debug("Sentry could not record the error of an observation", ex);
			}
		}
	}

	@Override
	public void onStop(Observation.Context context) {
		ISpan span = context.get(SPAN);
		if (span == null) {
			return;
		}
		try {
			// Conventions and filters may set the contextual name and key values only now.
			span.setDescription(description(context));
			for (KeyValue keyValue : context.getLowCardinalityKeyValues()) {
				span.setData(keyValue.getKey(), keyValue.getValue());
			}
			span.finish((context.getError() != null) ? SpanStatus.INTERNAL_ERROR : SpanStatus.OK);
		}
		catch (Throwable ex) {
			logger.debug("Sentry could not finish the span of an observation", ex);
		}
	}

	private @Nullable ISpan parent(Observation.Context context) {
		// Across threads the thread's scopes know nothing: the observation's parent does. A
		// parent may be over while its scope is still open (Spring Security's "before" chain).
		Observation.ContextView ancestor = parentContext(context);
		while (ancestor != null) {
			ISpan span = ancestor.get(SPAN);
			if (span != null && !span.isFinished()) {
				return span;
			}
			ancestor = parentContext(ancestor);
		}
		IScopes scopes = scopes();
		return (scopes != null) ? scopes.getSpan() : null;
	}

	private static Observation.@Nullable ContextView parentContext(Observation.ContextView context) {
		ObservationView parent = context.getParentObservation();
		return (parent != null) ? parent.getContextView() : null;
	}

	private static String description(Observation.Context context) {
		String contextual = context.getContextualName();
		return (contextual != null && !contextual.isEmpty()) ? contextual : context.getName();
	}

	/** Scopes of the unit of work on the calling thread (never another application's). */
	private @Nullable IScopes scopes() {
		SentrySdk current = this.sdk.get();
		return (current != null && current.isActive()) ? current.getCurrentScopes() : null;
	}

	private static boolean isRecordedBySentry(Class<?> type, boolean sentryRecordsJdbc) {
		for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
			String name = candidate.getName();
			for (String recorded : RECORDED_BY_SENTRY) {
				if (recorded.equals(name)) {
					return true;
				}
			}
			if (sentryRecordsJdbc && name.startsWith(JDBC_CONTEXT_PACKAGE)) {
				return true;
			}
		}
		return false;
	}

}
