package dev.sentryboot.autoconfigure.resilience;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.CountingClientReports;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import io.sentry.clientreport.DiscardReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.cachedEnvelopes;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.reports;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.sdk;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.sentryThreadsStartedSince;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.startSdk;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.threadIds;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long outage costs a bounded amount of memory and disk, and leaves nothing running behind.
 */
class OutageLimitsTests {

	@Test
	void thousandsOfErrorsWhileSentryIsBlackHoledStayWithinTheQueueAndTheCache(@TempDir Path cache)
			throws Exception {
		try (SentryTestServer sentry = new SentryTestServer()) {
			sentry.blackHole();
			try (ConfigurableApplicationContext context = startSdk(sentry, cache.toFile(),
					"test.sentry.read-timeout-ms=20000")) {
				SentrySdk sdk = sdk(context);
				int threads = 8;
				int perThread = 400;
				ExecutorService pool = Executors.newFixedThreadPool(threads);
				for (int t = 0; t < threads; t++) {
					pool.submit(() -> {
						for (int i = 0; i < perThread; i++) {
							sdk.getScopes().captureException(new IllegalStateException("flood " + i));
						}
					});
				}
				pool.shutdown();
				assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
				// Waits for the disk writes; the black hole still holds the only sender.
				sdk.flush();

				CountingClientReports reports = reports(context);
				int captured = threads * perThread;
				int onDisk = cachedEnvelopes(context);
				long lost = reports.count(DiscardReason.CACHE_OVERFLOW, "event")
						+ reports.count(DiscardReason.QUEUE_OVERFLOW, "event");
				assertThat(onDisk).isBetween(1, 30);
				// What is neither on disk nor counted lost waits in the transport's queue, capped
				// by sentry.max-queue-size (100).
				assertThat(captured - onDisk - lost).isBetween(0L, 100L);
				assertThat(sentry.rawConnections()).isEqualTo(1);
			}
		}
	}

	@Test
	void leavesNoThreadBehindWhenTheApplicationClosesDuringAnOutage(@TempDir Path cache) throws Exception {
		try (SentryTestServer sentry = new SentryTestServer()) {
			Set<Long> before = threadIds();
			ConfigurableApplicationContext context = startSdk(sentry, cache.toFile(),
					"test.sentry.read-timeout-ms=500");
			sentry.blackHole();
			for (int i = 0; i < 20; i++) {
				sdk(context).getScopes().captureException(new IllegalStateException("closing " + i));
			}
			assertThat(sentryThreadsStartedSince(before)).anyMatch((name) -> name.startsWith("SentryHttpSender"));
			sdk(context).flush();
			int cached = cachedEnvelopes(context);
			context.close();
			// A sender blocked in a read ends once its read timeout is over.
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (!sentryThreadsStartedSince(before).isEmpty() && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(sentryThreadsStartedSince(before)).isEmpty();
			// What could not be sent stays on disk for the next start.
			assertThat(cached).isPositive();
		}
	}

}
