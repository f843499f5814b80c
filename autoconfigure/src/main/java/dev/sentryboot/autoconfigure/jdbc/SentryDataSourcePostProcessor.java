package dev.sentryboot.autoconfigure.jdbc;

import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.sentryboot.autoconfigure.SentryProperties;
import dev.sentryboot.autoconfigure.SentrySdk;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.util.function.SingletonSupplier;

/**
 * Wraps every DataSource bean, once, in a datasource-proxy {@link ProxyDataSource} that reports
 * its queries to Sentry. {@code unwrap} and {@code isWrapperFor} go through to the wrapped pool,
 * so Boot's pool metadata, metrics and health still find it.
 */
public final class SentryDataSourcePostProcessor implements BeanPostProcessor {

	private final ObjectProvider<SentryProperties> properties;

	// Looked up on the first query, not when the DataSource is created: the SDK's own
	// dependencies (event processors, customizers) may need the DataSource.
	private final Supplier<@Nullable SentrySdk> sdk;

	SentryDataSourcePostProcessor(ObjectProvider<SentryProperties> properties, ObjectProvider<SentrySdk> sdk) {
		this.properties = properties;
		this.sdk = SingletonSupplier.of(sdk::getIfAvailable);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof DataSource dataSource) || !shouldWrap(dataSource, beanName)) {
			return bean;
		}
		SentryProperties.Jdbc jdbc = this.properties.getObject().getJdbc();
		SentryQueryListener listener = new SentryQueryListener(beanName, this.sdk, jdbc.isIncludeParameters(),
				jdbc.getSlowQueryThreshold().toMillis());
		// Isolation level retrieval stays off (the builder's default since 1.10): it costs a
		// getTransactionIsolation call, a round trip with some drivers, per connection. Result
		// sets are not proxied either (the default): nothing here reads them.
		// Without include-parameters, parameter values can never be sent: datasource-proxy need
		// not record them.
		return ProxyDataSourceBuilder.create(dataSource)
			.name(beanName)
			.listener(listener)
			.methodListener(listener)
			.connectionIdManager(new CountingConnectionIdManager())
			.jdbcProxyFactory(new SentryJdbcProxyFactory(jdbc.isIncludeParameters()))
			.build();
	}

	private boolean shouldWrap(DataSource dataSource, String beanName) {
		// The scoped proxy is the bean others inject; wrapping its target too would record twice.
		if (ScopedProxyUtils.isScopedTarget(beanName)) {
			return false;
		}
		if (isProxied(dataSource)) {
			return false;
		}
		SentryProperties properties = this.properties.getObject();
		return properties.isEnabled() && properties.getJdbc().isEnabled()
				&& !properties.getJdbc().getExcludedDatasourceBeans().contains(beanName);
	}

	// Only what can be known without calling the DataSource: a routing DataSource, for one,
	// resolves its target (application code) on isWrapperFor.
	private static boolean isProxied(DataSource dataSource) {
		DataSource candidate = dataSource;
		for (int depth = 0; candidate != null && depth < 10; depth++) {
			if (candidate instanceof ProxyDataSource || candidate instanceof ProxyJdbcObject) {
				return true;
			}
			candidate = (candidate instanceof DelegatingDataSource delegating) ? delegating.getTargetDataSource()
					: null;
		}
		return false;
	}

}
