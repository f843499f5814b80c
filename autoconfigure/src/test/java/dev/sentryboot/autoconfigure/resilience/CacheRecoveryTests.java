package dev.sentryboot.autoconfigure.resilience;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import io.sentry.clientreport.DiscardReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.cachedEnvelopes;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.reports;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.sdk;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.startSdk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events captured while Sentry is away wait in the disk cache and all arrive once it is back,
 * also when the application restarts in the middle of the outage.
 */
class CacheRecoveryTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@Test
	void deliversEveryCachedEventAfterTheOutage(@TempDir Path cache) throws Exception {
		try (SentryTestServer sentry = new SentryTestServer()) {
			sentry.stop();
			try (ConfigurableApplicationContext context = startSdk(sentry, cache.toFile(),
					"sentry.max-cache-items=30")) {
				capture(sdk(context), "cached", 30);
				awaitTrue(() -> cachedEnvelopes(context) == 30, "30 envelopes in the disk cache");
				// Long enough for several retry passes to fail against the closed port first.
				Thread.sleep(1500);
				assertThat(sentry.events()).isEmpty();

				sentry.start();
				sentry.awaitEvents(30, WAIT);
				awaitTrue(() -> cachedEnvelopes(context) == 0, "an empty disk cache");
				assertThat(messages(sentry.events())).hasSize(30).isEqualTo(expected("cached", 30));
				assertThat(reports(context).snapshot()).isEmpty();
			}
		}
	}

	@Test
	void dropsTheOldestBeyondTheCacheLimitAndCountsThem(@TempDir Path cache) throws Exception {
		try (SentryTestServer sentry = new SentryTestServer()) {
			sentry.stop();
			try (ConfigurableApplicationContext context = startSdk(sentry, cache.toFile(),
					"sentry.max-cache-items=10")) {
				SentrySdk sdk = sdk(context);
				for (int i = 0; i < 15; i++) {
					sdk.getScopes().captureException(new IllegalStateException("overflow " + i));
					// One at a time, so the files' ages tell which are the oldest.
					sdk.flush();
					Thread.sleep(5);
				}
				assertThat(cachedEnvelopes(context)).isEqualTo(10);
				assertThat(reports(context).count(DiscardReason.CACHE_OVERFLOW, "event")).isEqualTo(5);

				sentry.start();
				sentry.awaitEvents(10, WAIT);
				awaitTrue(() -> cachedEnvelopes(context) == 0, "an empty disk cache");
				assertThat(messages(sentry.events())).isEqualTo(
						IntStream.range(5, 15).mapToObj((i) -> "overflow " + i).collect(Collectors.toSet()));
				assertThat(sentry.decodeErrors()).isEmpty();
			}
		}
	}

	@Test
	void aRestartedApplicationDeliversTheCacheOfTheOneBefore(@TempDir Path cache) throws Exception {
		try (SentryTestServer sentry = new SentryTestServer()) {
			sentry.stop();
			try (ConfigurableApplicationContext before = startSdk(sentry, cache.toFile())) {
				capture(sdk(before), "before restart", 10);
				awaitTrue(() -> cachedEnvelopes(before) == 10, "10 envelopes in the disk cache");
			}
			sentry.start();
			try (ConfigurableApplicationContext after = startSdk(sentry, cache.toFile())) {
				sentry.awaitEvents(10, WAIT);
				awaitTrue(() -> cachedEnvelopes(after) == 0, "an empty disk cache");
				assertThat(messages(sentry.events())).hasSize(10).isEqualTo(expected("before restart", 10));
			}
		}
	}

	static void capture(SentrySdk sdk, String prefix, int count) {
		for (int i = 0; i < count; i++) {
			sdk.getScopes().captureException(new IllegalStateException(prefix + " " + i));
		}
		sdk.flush();
	}

	static Set<String> expected(String prefix, int count) {
		return IntStream.range(0, count).mapToObj((i) -> prefix + " " + i).collect(Collectors.toSet());
	}

	/** The exception messages of these events; a duplicate would shrink the set below the list. */
	static Set<String> messages(List<JsonNode> events) {
		List<String> all = events.stream()
			.map((event) -> event.path("exception").path("values").path(0).path("value").asString())
			.toList();
		assertThat(all).doesNotHaveDuplicates();
		return Set.copyOf(all);
	}

	static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Timed out waiting for " + what);
			}
			Thread.sleep(20);
		}
	}

}
