package dev.sentryboot.autoconfigure.jdbc;

import javax.sql.DataSource;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentryProperties;
import dev.sentryboot.autoconfigure.SentrySdk;
import net.ttddyy.dsproxy.support.ProxyDataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Database queries as breadcrumbs and spans ({@code sentry.jdbc.*}), for applications with
 * spring-jdbc, datasource-proxy and a DataSource bean.
 */
@AutoConfiguration(after = SentryAutoConfiguration.class,
		afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({ ProxyDataSource.class, DelegatingDataSource.class })
@ConditionalOnBooleanProperty(name = "sentry.jdbc.enabled", matchIfMissing = true)
@ConditionalOnBean(DataSource.class)
public final class SentryJdbcAutoConfiguration {

	// Static: a post-processor is created before every other bean, this configuration included.
	@Bean
	@ConditionalOnMissingBean
	static SentryDataSourcePostProcessor sentryDataSourcePostProcessor(ObjectProvider<SentryProperties> properties,
			ObjectProvider<SentrySdk> sdk) {
		return new SentryDataSourcePostProcessor(properties, sdk);
	}

}
