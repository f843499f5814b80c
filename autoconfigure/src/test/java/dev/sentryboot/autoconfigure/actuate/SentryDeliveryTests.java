package dev.sentryboot.autoconfigure.actuate;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentryOptionsCustomizer;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.local.LocalEventStore;
import dev.sentryboot.autoconfigure.local.SentryLocalStoreAutoConfiguration;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sentry.AsyncHttpTransportFactory;
import io.sentry.protocol.SentryId;
import io.sentry.transport.ITransport;
import io.sentry.transport.RateLimiter;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link SentryDelivery} learns from the SDK for each way an event can end, with real
 * contexts and the in-test Sentry endpoint; counters are read from a registry the metrics are
 * bound to.
 */
class SentryDeliveryTests {

	private final SentryTestServer server = new SentryTestServer();

	@TempDir
	Path cacheDir;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SentryAutoConfiguration.class,
				SentryLocalStoreAutoConfiguration.class, SentryActuateAutoConfiguration.class))
		.withPropertyValues("sentry.cache-retry-interval=1h", "sentry.release=shop@2.0.0");

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	private ApplicationContextRunner withServer() {
		return this.runner.withPropertyValues("sentry.dsn=" + this.server.dsn(),
				"sentry.cache-dir-path=" + this.cacheDir);
	}

	@Test
	void countsSampledOutEvents() {
		withServer().withPropertyValues("sentry.sample-rate=0.0").run((context) -> {
			MeterRegistry registry = bind(context);

			capture(context, "sampled out");
			capture(context, "sampled out too");

			assertThat(count(registry, "dropped", "sample_rate")).isEqualTo(2);
			assertThat(count(registry, "sent", "none")).isZero();
			assertThat(this.server.envelopes()).isEmpty();
		});
	}

	@Test
	void countsEventsSentryRateLimitsAndShowsTheLimit() {
		this.server.respondWith(429, Map.of("X-Sentry-Rate-Limits", "60:error:key"));
		withServer().run((context) -> {
			MeterRegistry registry = bind(context);

			capture(context, "answered with 429");
			capture(context, "held back by the SDK");

			assertThat(this.server.envelopes()).hasSize(1);
			assertThat(count(registry, "dropped", "ratelimit_backoff")).isEqualTo(2);
			Health health = context.getBean(SentryHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			// Limited for 60 s from the 429: the end Sentry announced, not just the category.
			assertThat(health.getDetails().get("rateLimited")).asInstanceOf(InstanceOfAssertFactories.MAP)
				.containsOnlyKeys("error")
				.extractingByKey("error")
				.asString()
				.satisfies((until) -> assertThat(Instant.parse(until)).isBetween(Instant.now().plusSeconds(30),
						Instant.now().plusSeconds(61)));
			assertThat(health.getDetails().get("lastDelivery")).isEqualTo("failed");
			assertThat(health.getDetails().get("lastError")).asString().contains("ratelimit_backoff");
		});
	}

	@Test
	void countsEventsLostToANetworkErrorWithoutDiskCache() {
		withServer().withBean(SentryOptionsCustomizer.class, () -> (options) -> options.setCacheDirPath(null))
			.withPropertyValues("sentry.local.enabled=true")
			.run((context) -> {
				MeterRegistry registry = bind(context);
				this.server.stop();

				SentryId id = capture(context, "nowhere to go");

				assertThat(count(registry, "dropped", "network_error")).isEqualTo(1);
				assertThat(count(registry, "cached", "network_error")).isZero();
				LocalEventStore store = context.getBean(LocalEventStore.class);
				assertThat(store.events().get(0).get("event_id")).isEqualTo(id.toString());
				assertThat(store.delivery(store.events().get(0)))
					.satisfies((delivery) -> assertThat(delivery.status()).isEqualTo("failed"))
					.satisfies((delivery) -> assertThat(delivery.reason()).isEqualTo("network_error"));
				Map<String, Object> details = context.getBean(SentryHealthIndicator.class).health().getDetails();
				assertThat(details.get("lastError")).asString().contains("network_error");
				assertThat(details.get("diskCached")).isEqualTo(0);
			});
	}

	@Test
	void countsEventsAFullQueueSendsToTheDiskCache() throws Exception {
		// Accepts connections (the kernel backlog) but never answers: the one sender thread
		// waits on the first envelope while the second finds the queue full. The overflow
		// transport beneath the tracker writes that one to the disk cache instead of dropping it.
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			this.runner
				.withPropertyValues("sentry.dsn=http://key@127.0.0.1:" + silent.getLocalPort() + "/7",
						"sentry.cache-dir-path=" + this.cacheDir, "sentry.max-queue-size=1",
						"sentry.flush-timeout=1s", "sentry.shutdown-timeout=1s")
				.run((context) -> {
					MeterRegistry registry = bind(context);
					SentrySdk sdk = context.getBean(SentrySdk.class);

					sdk.getScopes().captureException(new IllegalStateException("waits for an answer"));
					sdk.getScopes().captureException(new IllegalStateException("finds the queue full"));
					sdk.flush();

					assertThat(count(registry, "cached", "queue_overflow")).isEqualTo(1);
					assertThat(count(registry, "dropped", "queue_overflow")).isZero();
					assertThat(registry.get("sentry.envelopes.queued").gauge().value()).isEqualTo(1);
					Map<String, Object> details = context.getBean(SentryHealthIndicator.class).health().getDetails();
					assertThat(details.get("lastError")).asString().contains("queue_overflow");
				});
		}
	}

	@Test
	void overflowToDiskAndDeliveryAreBothCountedOnceWithActuator() {
		// Sentry answers slowly: the first error holds the one queue place (max-queue-size 2
		// keeps one free for a cache retry), the second overflows to the disk cache. A retry
		// pass sends it later, with the SDK's own hint: it must not be counted a second time.
		this.server.respondAfter(Duration.ofMillis(800));
		withServer()
			.withPropertyValues("sentry.max-queue-size=2", "sentry.flush-timeout=5s", "sentry.local.enabled=true",
					"sentry.cache-retry-interval=1s")
			.withBean(SentryOptionsCustomizer.class, () -> (options) -> {
				// The retry pass waits while a cached file is younger than these together.
				options.setConnectionTimeoutMillis(500);
				options.setReadTimeoutMillis(2000);
			})
			.run((context) -> {
				MeterRegistry registry = bind(context);
				SentrySdk sdk = context.getBean(SentrySdk.class);

				SentryId sent = sdk.getScopes().captureException(new IllegalStateException("held by Sentry"));
				SentryId overflowed = sdk.getScopes().captureException(new IllegalStateException("queue full"));
				sdk.flush();

				assertThat(count(registry, "sent", "none")).isEqualTo(1);
				assertThat(count(registry, "cached", "queue_overflow")).isEqualTo(1);
				assertThat(count(registry, "dropped", "queue_overflow")).isZero();
				assertThat(registry.get("sentry.envelopes.queued").gauge().value()).isZero();
				assertThat(cachedEnvelopes()).isEqualTo(1);
				LocalEventStore store = context.getBean(LocalEventStore.class);
				assertThat(store.events()).extracting((event) -> store.delivery(event).status())
					.containsExactly("failed", "sent");
				assertThat(store.delivery(store.events().get(0)).reason()).isEqualTo("queue_overflow");

				List<String> ids = this.server.awaitEvents(2, Duration.ofSeconds(20))
					.stream()
					.map((event) -> event.get("event_id").asText())
					.toList();
				assertThat(ids).containsExactlyInAnyOrder(sent.toString().replace("-", ""),
						overflowed.toString().replace("-", ""));
				sdk.flush();
				assertThat(count(registry, "sent", "none")).isEqualTo(1);
				assertThat(count(registry, "cached", "queue_overflow")).isEqualTo(1);
				assertThat(registry.find("sentry.events").tag("type", "error").counters())
					.allSatisfy((counter) -> assertThat(counter.count()).isLessThanOrEqualTo(1));
				// The resent envelope is not copied into the local store a second time.
				assertThat(store.events()).hasSize(2);
			});
	}

	private long cachedEnvelopes() throws java.io.IOException {
		try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(this.cacheDir)) {
			return files.filter((file) -> file.toString().endsWith(".envelope")).count();
		}
	}

	@Test
	void countsSentEventsThroughATransportAUserChose() {
		AtomicInteger sentThroughUserTransport = new AtomicInteger();
		withServer().withPropertyValues("sentry.local.enabled=true")
			.withBean("userTransport", SentryOptionsCustomizer.class,
					() -> new UserTransportCustomizer(sentThroughUserTransport))
			.run((context) -> {
				MeterRegistry registry = bind(context);

				SentryId id = capture(context, "through the user's transport");

				assertThat(this.server.events()).hasSize(1);
				assertThat(sentThroughUserTransport).hasValue(1);
				assertThat(count(registry, "sent", "none")).isEqualTo(1);
				LocalEventStore store = context.getBean(LocalEventStore.class);
				assertThat(store.delivery(store.events().get(0)).status()).isEqualTo("sent");
				assertThat(store.events().get(0).get("event_id")).isEqualTo(id.toString());
			});
	}

	@Test
	void storedOnlyWithoutDsn() {
		this.runner.withPropertyValues("sentry.local.enabled=true").run((context) -> {
			MeterRegistry registry = bind(context);

			capture(context, "kept in memory");

			LocalEventStore store = context.getBean(LocalEventStore.class);
			assertThat(store.delivery(store.events().get(0)).status()).isEqualTo("stored");
			assertThat(count(registry, "sent", "none")).isZero();
			Health health = context.getBean(SentryHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails().get("dsn")).asString().contains("local event store only");
			assertThat(health.getDetails().get("lastDelivery")).isEqualTo("none");
		});
	}

	private static MeterRegistry bind(AssertableApplicationContext context) {
		MeterRegistry registry = new SimpleMeterRegistry();
		context.getBean(SentryMetrics.class).bindTo(registry);
		return registry;
	}

	private static SentryId capture(AssertableApplicationContext context, String message) {
		SentrySdk sdk = context.getBean(SentrySdk.class);
		SentryId id = sdk.getScopes().captureException(new IllegalStateException(message));
		sdk.flush();
		return id;
	}

	private static double count(MeterRegistry registry, String outcome, String reason) {
		Counter counter = registry.find("sentry.events")
			.tags("type", "error", "outcome", outcome, "reason", reason, "release", "shop@2.0.0")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	/** Replaces the SDK's transport with its own (counting) one, as a resilience layer would. */
	@Order(0)
	record UserTransportCustomizer(AtomicInteger sent) implements SentryOptionsCustomizer {

		@Override
		public void customize(io.sentry.SentryOptions options) {
			AsyncHttpTransportFactory http = new AsyncHttpTransportFactory();
			options.setTransportFactory((o, details) -> new CountingTransport(http.create(o, details), this.sent));
		}

	}

	record CountingTransport(ITransport delegate, AtomicInteger sent) implements ITransport {

		@Override
		public void send(io.sentry.SentryEnvelope envelope, io.sentry.Hint hint) throws java.io.IOException {
			this.sent.incrementAndGet();
			this.delegate.send(envelope, hint);
		}

		@Override
		public void flush(long timeoutMillis) {
			this.delegate.flush(timeoutMillis);
		}

		@Override
		public @Nullable RateLimiter getRateLimiter() {
			return this.delegate.getRateLimiter();
		}

		@Override
		public void close(boolean isRestarting) throws java.io.IOException {
			this.delegate.close(isRestarting);
		}

		@Override
		public void close() throws java.io.IOException {
			this.delegate.close();
		}

	}

}
