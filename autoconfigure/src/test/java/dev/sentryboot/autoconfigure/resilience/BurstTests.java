package dev.sentryboot.autoconfigure.resilience;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import io.sentry.clientreport.DiscardReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

import static dev.sentryboot.autoconfigure.resilience.CacheRecoveryTests.awaitTrue;
import static dev.sentryboot.autoconfigure.resilience.CacheRecoveryTests.messages;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.cachedEnvelopes;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.port;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.reports;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.sdk;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.start;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many requests failing at once lose no error event, also when more fail than the SDK's queue
 * holds (sentry.max-queue-size, 100 by default).
 */
class BurstTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final SentryTestServer sentry = new SentryTestServer();

	private static Path cache;

	private static ConfigurableApplicationContext context;

	@BeforeAll
	static void startApplication() throws Exception {
		cache = Files.createTempDirectory("sentry-burst");
		context = start(sentry, cache.toFile(), "sentry.traces-sample-rate=1.0", "sentry.max-cache-items=100",
				"test.sentry.read-timeout-ms=3000");
	}

	@AfterAll
	static void stopApplication() {
		sentry.start();
		context.close();
		sentry.close();
		FileSystemUtils.deleteRecursively(cache.toFile());
	}

	@BeforeEach
	void deliverWhatIsPending() throws Exception {
		sdk(context).flush();
		awaitTrue(() -> cachedEnvelopes(context) == 0, "an empty disk cache");
		sentry.reset();
	}

	@Test
	void aHundredConcurrentFailingRequestsDeliverAHundredErrors() throws Exception {
		List<Integer> statuses = Requests.failConcurrently(port(context), "burst-", 100, WAIT);
		assertThat(statuses).hasSize(100).containsOnly(500);
		sentry.awaitEvents(100, WAIT);
		sdk(context).flush();
		assertThat(messages(sentry.events())).isEqualTo(failed("burst-", 100));
		assertThat(reports(context).count(DiscardReason.QUEUE_OVERFLOW, "event")).isZero();
	}

	@Test
	void errorsBeyondTheQueueWaitInTheDiskCacheAndAllArrive() throws Exception {
		// The SDK's only sender waits on the black hole (3 seconds, its read
		// timeout): the queue (99 places for errors) fills, the rest overflows to disk.
		sentry.blackHole();
		List<Integer> statuses = Requests.failConcurrently(port(context), "overflow-", 110, WAIT);
		assertThat(statuses).hasSize(110).containsOnly(500);
		sdk(context).flush();
		assertThat(cachedEnvelopes(context)).as("errors written to the disk cache").isGreaterThanOrEqualTo(5);

		sentry.start();
		sentry.awaitEvents(110, Duration.ofSeconds(40));
		awaitTrue(() -> cachedEnvelopes(context) == 0, "an empty disk cache");
		assertThat(messages(sentry.events())).isEqualTo(failed("overflow-", 110));
		assertThat(reports(context).count(DiscardReason.QUEUE_OVERFLOW, "event")).isZero();
		assertThat(reports(context).count(DiscardReason.CACHE_OVERFLOW, "event")).isZero();
	}

	private static Set<String> failed(String prefix, int count) {
		return IntStream.range(0, count).mapToObj((i) -> "failed " + prefix + i).collect(Collectors.toSet());
	}

}
