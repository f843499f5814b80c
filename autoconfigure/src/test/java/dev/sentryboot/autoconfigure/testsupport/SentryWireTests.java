package dev.sentryboot.autoconfigure.testsupport;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that run a real application on a random port against the in-test Sentry
 * endpoint: one endpoint for the whole test JVM, its DSN given to every context, emptied (and
 * answering 200) before each test.
 */
public abstract class SentryWireTests {

	protected static final Duration WAIT = Duration.ofSeconds(10);

	protected static final SentryTestServer sentry = new SentryTestServer();

	@LocalServerPort
	protected int port;

	@DynamicPropertySource
	static void sentryDsn(DynamicPropertyRegistry registry) {
		registry.add("sentry.dsn", sentry::dsn);
	}

	@BeforeEach
	void resetSentry() {
		sentry.reset();
		sentry.respondWith(200);
	}

}
