package dev.sentryboot.test;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Clears the {@link SentryEvents} of the test's own application context before each test
 * method, so that a test sees only what it caused, however many contexts the test context
 * cache keeps alive.
 */
final class SentryTestExecutionListener implements TestExecutionListener, Ordered {

	@Override
	public int getOrder() {
		// After dependency injection (2000), before user listeners that usually come last.
		return 5000;
	}

	@Override
	public void beforeTestMethod(TestContext testContext) {
		// Only contexts that exist already: a test without a context, or one whose loading
		// failed, must not be made to load one here.
		if (testContext.hasApplicationContext()) {
			testContext.getApplicationContext().getBeanProvider(SentryEvents.class).ifAvailable(SentryEvents::clear);
		}
	}

}
