package dev.sentryboot.autoconfigure.task;

import java.util.concurrent.Future;
import java.util.function.Supplier;

import dev.sentryboot.autoconfigure.SentrySdk;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Wraps the call of an {@code @Async} method on the thread that runs it (it sits after Spring's
 * async interceptor in the proxy's chain): scopes of its own forked from the thread's (the
 * caller's, when the executor carries the {@link SentryTaskDecorator}), a {@code task.async}
 * transaction in the caller's trace, and the exception of a method whose caller cannot see it.
 */
final class SentryAsyncMethodInterceptor implements MethodInterceptor {

	static final String OPERATION = "task.async";

	static final String MECHANISM_TYPE = "spring.async";

	private final Supplier<Settings> settings;

	SentryAsyncMethodInterceptor(Supplier<Settings> settings) {
		this.settings = settings;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Settings settings = this.settings.get();
		if (!settings.sdk().isActive()) {
			return invocation.proceed();
		}
		TaskRun run = TaskRun.begin(settings.sdk().getCurrentScopes(), nameOf(invocation), OPERATION, true, null,
				settings.trace());
		if (run == null) {
			return invocation.proceed();
		}
		try {
			return invocation.proceed();
		}
		catch (Throwable ex) {
			// Spring gives the exception of a method returning a Future to its caller, who may
			// handle it (or let it fail a request, which reports it): only the exception of a
			// void method is lost to the caller, and Spring then merely logs it.
			boolean callerSeesIt = Future.class.isAssignableFrom(invocation.getMethod().getReturnType());
			run.failed(ex, (settings.captureErrors() && !callerSeesIt) ? MECHANISM_TYPE : null);
			throw ex;
		}
		finally {
			run.end();
		}
	}

	private static String nameOf(MethodInvocation invocation) {
		Object target = invocation.getThis();
		Class<?> type = (target != null) ? ClassUtils.getUserClass(target)
				: invocation.getMethod().getDeclaringClass();
		return type.getSimpleName() + "." + invocation.getMethod().getName();
	}

	/**
	 * What the interceptor needs, resolved on first use: it is created with the post-processors,
	 * before the SDK's bean.
	 */
	record Settings(SentrySdk sdk, boolean trace, boolean captureErrors) {
	}

}
