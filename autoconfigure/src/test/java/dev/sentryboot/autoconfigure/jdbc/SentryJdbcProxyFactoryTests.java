package dev.sentryboot.autoconfigure.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import net.ttddyy.dsproxy.listener.MethodExecutionContext;
import net.ttddyy.dsproxy.listener.MethodExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shortcuts of our JDBC proxies leave datasource-proxy's contract as it was: connection
 * calls still work, and a method listener someone adds to the proxy still sees every call.
 */
class SentryJdbcProxyFactoryTests {

	@Test
	void connectionCallsWorkThroughTheProxy() throws SQLException {
		ProxyDataSource dataSource = proxy("calls");
		try (Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (PreparedStatement statement = connection.prepareStatement("select ? + 1")) {
				statement.setInt(1, 41);
				try (ResultSet rows = statement.executeQuery()) {
					rows.next();
					assertThat(rows.getInt(1)).isEqualTo(42);
				}
			}
			connection.commit();
			assertThat(connection.getAutoCommit()).isFalse();
			assertThat(connection.isWrapperFor(Connection.class)).isTrue();
		}
	}

	@Test
	void methodListenerAddedToTheProxySeesEveryConnectionCall() throws SQLException {
		ProxyDataSource dataSource = proxy("listened");
		List<String> seen = new CopyOnWriteArrayList<>();
		dataSource.getProxyConfig().getMethodListener().addListener(new MethodExecutionListener() {

			@Override
			public void beforeMethod(MethodExecutionContext context) {
			}

			@Override
			public void afterMethod(MethodExecutionContext context) {
				if (context.getTarget() instanceof Connection) {
					seen.add(context.getMethod().getName());
				}
			}

		});
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement("select 1")) {
			statement.executeQuery().close();
		}
		// Also getMetaData: our listener asks the first connection which database it is.
		assertThat(seen).containsSubsequence("prepareStatement", "close");
	}

	// As SentryDataSourcePostProcessor builds it; no SDK, so the listener records nothing.
	private static ProxyDataSource proxy(String name) {
		SentryQueryListener listener = new SentryQueryListener(name, () -> null, false, 1000);
		return ProxyDataSourceBuilder.create(new DriverManagerDataSource("jdbc:h2:mem:" + name))
			.name(name)
			.listener(listener)
			.methodListener(listener)
			.connectionIdManager(new CountingConnectionIdManager())
			.jdbcProxyFactory(new SentryJdbcProxyFactory(false))
			.build();
	}

}
