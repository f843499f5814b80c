package dev.sentryboot.autoconfigure.task;

import java.util.List;

import dev.sentryboot.autoconfigure.UnhandledErrors;
import dev.sentryboot.autoconfigure.tracing.SampledTransactions;
import io.sentry.BaggageHeader;
import io.sentry.IScopes;
import io.sentry.ISentryLifecycleToken;
import io.sentry.ITransaction;
import io.sentry.SentryTraceHeader;
import io.sentry.SpanStatus;
import io.sentry.TransactionContext;
import io.sentry.protocol.TransactionNameSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One run of a background task on the current thread: a fork of the parent scopes made current
 * for the run (what the task changes stays in it), and a transaction when tracing samples the
 * run. Nothing here throws into the task.
 */
final class TaskRun {

	private static final Log logger = LogFactory.getLog(TaskRun.class);

	private static final String ORIGIN = "auto.function.spring";

	private final IScopes scopes;

	private final ISentryLifecycleToken token;

	private final String name;

	private final @Nullable ITransaction transaction;

	private TaskRun(IScopes scopes, ISentryLifecycleToken token, String name, @Nullable ITransaction transaction) {
		this.scopes = scopes;
		this.token = token;
		this.name = name;
		this.transaction = transaction;
	}

	/**
	 * Starts a run named {@code name}. With {@code sameTrace} the run belongs to the trace of
	 * the parent scopes (an {@code @Async} call made by a request), else it starts a trace of
	 * its own (a scheduled run), or continues {@code sentryTrace} (a {@code sentry-trace} value
	 * without sampling decision) when another tracer traces the run. {@code null} when the run
	 * could not be set up.
	 */
	static @Nullable TaskRun begin(IScopes parent, String name, String operation, boolean sameTrace,
			@Nullable String sentryTrace, boolean traced) {
		try {
			IScopes scopes = parent.forkedScopes(operation);
			ISentryLifecycleToken token = scopes.makeCurrent();
			ITransaction transaction = null;
			try {
				transaction = startTransaction(scopes, name, operation, sameTrace, sentryTrace, traced);
			}
			catch (RuntimeException ex) {
				logger.debug("Sentry could not start the transaction of task " + name, ex);
			}
			return new TaskRun(scopes, token, name, transaction);
		}
		catch (RuntimeException ex) {
			logger.debug("Sentry could not set up the scopes of task " + name, ex);
			return null;
		}
	}

	private static @Nullable ITransaction startTransaction(IScopes scopes, String name, String operation,
			boolean sameTrace, @Nullable String sentryTrace, boolean traced) {
		if (sameTrace && !traced) {
			// Events of the run keep the caller's trace.
			return null;
		}
		String traceparent = sentryTrace;
		List<String> baggage = null;
		if (sameTrace) {
			SentryTraceHeader header = scopes.getTraceparent();
			BaggageHeader baggageHeader = scopes.getBaggage();
			traceparent = (header != null) ? header.getValue() : null;
			baggage = (baggageHeader != null) ? List.of(baggageHeader.getValue()) : null;
		}
		// The SDK's own way to start a (new or continued) trace on the run's scope; without a
		// traceparent a scheduled run gets a trace id of its own even when it is not traced. With
		// another tracer's (no sampling decision in it) the sampler below decides, and the run's
		// events carry that tracer's trace id whether or not it is traced here.
		TransactionContext context = scopes.continueTrace(traceparent, baggage);
		if (context == null || !traced) {
			return null;
		}
		context.setName(name);
		context.setOperation(operation);
		context.setTransactionNameSource(TransactionNameSource.TASK);
		// Decided before anything is built, as for requests: an unsampled run creates no
		// transaction at all.
		return SampledTransactions.start(scopes, context, null, ORIGIN);
	}

	/**
	 * Marks the run failed and, given a mechanism type, reports the exception itself (so the
	 * SDK's duplicate detection drops any later capture of the same instance, such as a logged
	 * one).
	 */
	void failed(Throwable error, @Nullable String mechanismType) {
		try {
			if (this.transaction != null) {
				this.transaction.setThrowable(error);
				this.transaction.setStatus(SpanStatus.INTERNAL_ERROR);
			}
			if (mechanismType != null) {
				UnhandledErrors.capture(this.scopes, error, mechanismType, this.name);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Sentry could not report the exception of task " + this.name, ex);
		}
	}

	/**
	 * Finishes the transaction and gives the thread back the scopes it had before the run.
	 */
	void end() {
		try {
			if (this.transaction != null) {
				if (this.transaction.getStatus() == null) {
					this.transaction.setStatus(SpanStatus.OK);
				}
				this.transaction.finish();
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Sentry could not finish the transaction of task " + this.name, ex);
		}
		finally {
			this.token.close();
		}
	}

}
