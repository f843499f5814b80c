package dev.sentryboot.autoconfigure.task;

import java.util.concurrent.RunnableScheduledFuture;

import dev.sentryboot.autoconfigure.SentrySdk;
import io.sentry.IScopes;
import io.sentry.ISentryLifecycleToken;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.Ordered;
import org.springframework.core.task.TaskDecorator;

/**
 * Runs a task in a fork of the Sentry scopes of the thread that submitted it, the way the
 * SDK's {@code SentryWrapper} does: tags, user, breadcrumbs and trace of a request reach the
 * events of the tasks it starts, while what a task changes stays in its fork.
 * <p>
 * Spring Boot applies every {@link TaskDecorator} bean, in order, to the executors and
 * schedulers its builders create; this one is ordered last, so it is the outermost and the
 * application's own decorators run inside the task's scopes. Apply it to an executor you build
 * yourself with {@code setTaskDecorator}.
 * <p>
 * Runs of a scheduler ({@link RunnableScheduledFuture}s) are left alone: a periodic run is
 * decorated once for all its runs and a trigger reschedules from inside the previous run, so
 * they would share, or inherit, another run's scopes. {@code @Scheduled} methods get scopes of
 * their own for each run instead.
 */
public final class SentryTaskDecorator implements TaskDecorator, Ordered {

	private static final Log logger = LogFactory.getLog(SentryTaskDecorator.class);

	private final SentrySdk sdk;

	public SentryTaskDecorator(SentrySdk sdk) {
		this.sdk = sdk;
	}

	@Override
	public Runnable decorate(Runnable runnable) {
		if (runnable instanceof RunnableScheduledFuture<?> || !this.sdk.isActive()) {
			return runnable;
		}
		IScopes forked;
		try {
			forked = this.sdk.getCurrentScopes().forkedScopes("SentryTaskDecorator");
		}
		catch (RuntimeException ex) {
			logger.debug("Sentry could not fork the scopes of a submitted task", ex);
			return runnable;
		}
		return () -> {
			try (ISentryLifecycleToken ignored = forked.makeCurrent()) {
				runnable.run();
			}
		};
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
