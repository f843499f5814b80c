package dev.sentryboot.autoconfigure;

import io.sentry.IScopes;

import org.springframework.aop.TargetSource;
import org.springframework.aop.framework.ProxyFactory;

/**
 * The target of the injectable {@link IScopes} bean: looked up on every call, so that one
 * singleton acts on the scopes of whatever runs on the calling thread (a request's or a task's
 * forked scopes, else the context's root scopes). See {@link SentrySdk#getCurrentScopes()}.
 */
final class CurrentScopes implements TargetSource {

	private final SentrySdk sdk;

	private CurrentScopes(SentrySdk sdk) {
		this.sdk = sdk;
	}

	static IScopes proxy(SentrySdk sdk) {
		return ProxyFactory.getProxy(IScopes.class, new CurrentScopes(sdk));
	}

	@Override
	public Class<?> getTargetClass() {
		return IScopes.class;
	}

	@Override
	public Object getTarget() {
		return this.sdk.getCurrentScopes();
	}

	@Override
	public String toString() {
		return "Sentry scopes of the current unit of work";
	}

}
