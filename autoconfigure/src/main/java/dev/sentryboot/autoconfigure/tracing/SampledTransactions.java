package dev.sentryboot.autoconfigure.tracing;

import io.sentry.Baggage;
import io.sentry.CustomSamplingContext;
import io.sentry.IScopes;
import io.sentry.ITransaction;
import io.sentry.SamplingContext;
import io.sentry.TracesSamplingDecision;
import io.sentry.TransactionContext;
import io.sentry.TransactionOptions;
import io.sentry.util.SentryRandom;
import org.jspecify.annotations.Nullable;

/**
 * Starts a transaction only once it is known to be sampled, for web requests and background
 * tasks alike: an unit of work that is not sampled costs a random number and a decision, no
 * transaction and no span.
 */
public final class SampledTransactions {

	private SampledTransactions() {
	}

	/**
	 * The transaction of {@code context}, bound to {@code scopes}, or {@code null} when it is not
	 * sampled. The decision is one already on the context, else the SDK's sampler's, in its
	 * order: a {@code TracesSamplerCallback} (which sees the caller's decision and may overrule
	 * it), then the caller's decision, then {@code traces-sample-rate}. When the answer
	 * is no, the trace is marked unsampled so that outgoing calls tell the services they reach not
	 * to trace either.
	 */
	public static @Nullable ITransaction start(IScopes scopes, TransactionContext context,
			@Nullable CustomSamplingContext custom, String origin) {
		TracesSamplingDecision decision = context.getSamplingDecision();
		if (decision == null) {
			SamplingContext sampling = new SamplingContext(context, custom, sampleRand(context), null);
			decision = scopes.getOptions().getInternalTracesSampler().sample(sampling);
			context.setSamplingDecision(decision);
		}
		if (!Boolean.TRUE.equals(decision.getSampled())) {
			scopes.configureScope((scope) -> scope.withPropagationContext((trace) -> trace.setSampled(false)));
			return null;
		}
		TransactionOptions options = new TransactionOptions();
		options.setBindToScope(true);
		options.setOrigin(origin);
		return scopes.startTransaction(context, options);
	}

	/** The trace's random number, so every service of one trace decides on the same value. */
	private static double sampleRand(TransactionContext context) {
		Baggage baggage = context.getBaggage();
		Double rand = (baggage != null) ? baggage.getSampleRand() : null;
		// The SDK backfills it on every propagation context; a new one only for a foreign starter's.
		return (rand != null) ? rand : SentryRandom.current().nextDouble();
	}

}
