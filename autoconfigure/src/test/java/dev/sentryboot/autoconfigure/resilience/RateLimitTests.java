package dev.sentryboot.autoconfigure.resilience;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import io.sentry.DataCategory;
import io.sentry.ITransaction;
import io.sentry.clientreport.DiscardReason;
import io.sentry.transport.RateLimiter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static dev.sentryboot.autoconfigure.resilience.CacheRecoveryTests.awaitTrue;
import static dev.sentryboot.autoconfigure.resilience.CacheRecoveryTests.messages;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.cachedEnvelopes;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.reports;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.sdk;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.startSdk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 429 from Sentry stops what it names, for as long as it says, and nothing else.
 */
class RateLimitTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Test
	void errorsWaitOutTheirRateLimitWhileTransactionsStillGo(@TempDir Path cache) throws Exception {
		try (SentryTestServer sentry = new SentryTestServer()) {
			try (ConfigurableApplicationContext context = startSdk(sentry, cache.toFile(),
					"sentry.traces-sample-rate=1.0")) {
				SentrySdk sdk = sdk(context);
				sentry.respondWith(429, Map.of("Retry-After", "2", "X-Sentry-Rate-Limits", "2:error:organization"));
				sdk.getScopes().captureException(new IllegalStateException("answered with 429"));
				sentry.awaitEnvelopes(1, WAIT);
				sentry.respondWith(200);
				RateLimiter limiter = sdk.getScopes().getRateLimiter();
				awaitTrue(() -> limiter.isActiveForCategory(DataCategory.Error), "the error rate limit");

				for (int i = 0; i < 5; i++) {
					sdk.getScopes().captureException(new IllegalStateException("during the limit " + i));
				}
				for (int i = 0; i < 3; i++) {
					ITransaction transaction = sdk.getScopes().startTransaction("transaction " + i, "test");
					transaction.finish();
				}
				sentry.awaitTransactions(3, WAIT);
				sdk.flush();
				assertThat(sentry.events()).hasSize(1);
				assertThat(reports(context).count(DiscardReason.RATELIMIT_BACKOFF, "event")).isEqualTo(5);
				// Dropped, not kept for later: Sentry asked for less, not for later.
				assertThat(cachedEnvelopes(context)).isZero();

				awaitTrue(() -> !limiter.isActiveForCategory(DataCategory.Error), "the limit to expire");
				sdk.getScopes().captureException(new IllegalStateException("after the limit"));
				sentry.awaitEvents(2, WAIT);
				assertThat(messages(sentry.events())).containsExactlyInAnyOrder("answered with 429", "after the limit");
			}
		}
	}

	@Test
	void aRetryAfterWithoutCategoriesStopsEverythingForItsDuration(@TempDir Path cache) throws Exception {
		try (SentryTestServer sentry = new SentryTestServer()) {
			try (ConfigurableApplicationContext context = startSdk(sentry, cache.toFile(),
					"sentry.traces-sample-rate=1.0")) {
				SentrySdk sdk = sdk(context);
				sentry.respondWith(429, Map.of("Retry-After", "2"));
				sdk.getScopes().captureException(new IllegalStateException("answered with 429"));
				sentry.awaitEnvelopes(1, WAIT);
				sentry.respondWith(200);
				RateLimiter limiter = sdk.getScopes().getRateLimiter();
				awaitTrue(() -> limiter.isActiveForCategory(DataCategory.All), "the rate limit");

				sdk.getScopes().captureException(new IllegalStateException("during the limit"));
				sdk.getScopes().startTransaction("during the limit", "test").finish();
				sdk.flush();
				assertThat(sentry.envelopes()).hasSize(1);
				assertThat(reports(context).count(DiscardReason.RATELIMIT_BACKOFF, "event")).isEqualTo(1);
				assertThat(reports(context).count(DiscardReason.RATELIMIT_BACKOFF, "transaction")).isEqualTo(1);

				awaitTrue(() -> !limiter.isActiveForCategory(DataCategory.All), "the limit to expire");
				sdk.getScopes().captureException(new IllegalStateException("after the limit"));
				sentry.awaitEvents(2, WAIT);
			}
		}
	}

}
