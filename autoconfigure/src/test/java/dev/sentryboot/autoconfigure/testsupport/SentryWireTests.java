package dev.sentryboot.autoconfigure.testsupport;

import java.time.Duration;

import dev.sentryboot.autoconfigure.SentrySdk;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;

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

	@Autowired(required = false)
	private @Nullable SentrySdk sdk;

	@DynamicPropertySource
	static void sentryDsn(DynamicPropertyRegistry registry) {
		registry.add("sentry.dsn", sentry::dsn);
	}

	@BeforeEach
	void resetSentry() {
		// What the previous test captured is delivered first, so none of it lands in this one.
		if (this.sdk != null) {
			this.sdk.flush();
		}
		sentry.reset();
		sentry.respondWith(200);
	}

	/**
	 * HTTP to the application under test.
	 */
	protected final TestHttp http() {
		return new TestHttp(this.port);
	}

}
