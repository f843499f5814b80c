package dev.sentryboot.autoconfigure.resilience;

import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.CountingClientReports;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import io.sentry.clientreport.DiscardReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.cachedEnvelopes;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.port;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.reports;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.requestThreadsInTransport;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.sdk;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.sentryThreadsStartedSince;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.start;
import static dev.sentryboot.autoconfigure.resilience.ResilienceTestApplication.threadIds;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever Sentry does, the application's requests complete as usual: delivery happens on the
 * SDK's own threads, and what waits for it is capped in memory and on disk.
 * <p>
 * The SDK's read timeout is 20 seconds here: a request that waited for a delivery to the black
 * hole or the slow endpoint would outlast its own 10 second limit.
 */
class SentryOutageTests {

	private static final Duration REQUEST_LIMIT = Duration.ofSeconds(10);

	private static final SentryTestServer sentry = new SentryTestServer();

	private static File cache;

	private static ConfigurableApplicationContext context;

	enum Misbehaviour {

		DOWN, BLACK_HOLE, SLOW, RATE_LIMITED, SERVER_ERROR, GARBAGE;

		void apply(SentryTestServer sentry) {
			switch (this) {
				case DOWN -> sentry.stop();
				case BLACK_HOLE -> sentry.blackHole();
				case SLOW -> sentry.respondAfter(Duration.ofSeconds(5));
				case RATE_LIMITED -> sentry.respondWith(429,
						Map.of("Retry-After", "1", "X-Sentry-Rate-Limits", "1:error:organization"));
				case SERVER_ERROR -> sentry.respondWith(500);
				case GARBAGE -> sentry.answerGarbage();
			}
		}

	}

	@BeforeAll
	static void startApplication() throws Exception {
		cache = Files.createTempDirectory("sentry-outage").toFile();
		context = start(sentry, cache, "test.sentry.connect-timeout-ms=1000", "test.sentry.read-timeout-ms=20000");
	}

	@AfterAll
	static void stopApplication() {
		sentry.start();
		context.close();
		sentry.close();
		FileSystemUtils.deleteRecursively(cache);
	}

	@AfterEach
	void sentryBack() {
		sentry.respondAfter(Duration.ZERO);
		sentry.respondWith(200);
		// Closes what the black hole holds, so the SDK's sender is free for the next test.
		sentry.start();
	}

	@BeforeEach
	void deliverWhatIsPending() {
		sdk(context).flush();
		sentry.reset();
	}

	@ParameterizedTest
	@EnumSource(Misbehaviour.class)
	void requestsCompleteAsUsualWhileSentryMisbehaves(Misbehaviour misbehaviour) throws Exception {
		misbehaviour.apply(sentry);
		List<String> caught = new CopyOnWriteArrayList<>();
		AtomicBoolean sampling = new AtomicBoolean(true);
		ExecutorService sampler = Executors.newSingleThreadExecutor();
		sampler.submit(() -> {
			while (sampling.get()) {
				caught.addAll(requestThreadsInTransport());
				Thread.sleep(2);
			}
			return null;
		});
		List<Integer> statuses;
		try {
			statuses = Requests.failConcurrently(port(context), misbehaviour.name(), 30, REQUEST_LIMIT);
		}
		finally {
			sampling.set(false);
			sampler.shutdown();
		}
		assertThat(statuses).hasSize(30).containsOnly(500);
		assertThat(caught).as("request threads seen inside the Sentry transport").isEmpty();
		if (misbehaviour == Misbehaviour.BLACK_HOLE) {
			// All 30 completed while the SDK's single sender still waited on its first
			// connection: none of them waited for a delivery.
			assertThat(sentry.rawConnections()).isEqualTo(1);
		}
		if (misbehaviour == Misbehaviour.SLOW) {
			// Sentry takes 5 seconds for each: had each request waited for its own event, all
			// 30 would have arrived by now.
			assertThat(sentry.envelopes()).hasSizeLessThan(30);
		}
	}

}
