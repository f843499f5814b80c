package dev.sentryboot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Keeps the Sentry events of a {@code @SpringBootTest} in memory instead of sending them, and
 * makes a {@link SentryEvents} bean available to read and assert on them.
 * <p>
 * Whatever the application's configuration says ({@code sentry.dsn} in
 * {@code application.yml}, {@code SENTRY_DSN}, {@code sentry.enabled=false}), the test's
 * application context starts the SDK with the local event store only
 * ({@code sentry.local.enabled} and {@code sentry.local.only}): events still go through the
 * whole pipeline (event processors, ignore rules, callbacks, scrubber) and nothing leaves the
 * process. The store is cleared before each test method.
 *
 * @see SentryEvents
 * @see SentryAssertions
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureSentryTest {

	/**
	 * Share of transactions recorded, {@code sentry.traces-sample-rate} in the test: all of
	 * them by default, so that a test can assert on the transaction of every request.
	 * @return the sample rate, from 0.0 to 1.0
	 */
	double tracesSampleRate() default 1.0;

}
