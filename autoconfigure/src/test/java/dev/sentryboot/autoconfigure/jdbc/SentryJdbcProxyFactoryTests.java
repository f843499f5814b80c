package dev.sentryboot.autoconfigure.jdbc;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.MethodExecutionContext;
import net.ttddyy.dsproxy.listener.MethodExecutionListener;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.h2.jdbc.JdbcPreparedStatement;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The shortcuts of our JDBC proxies leave datasource-proxy's contract as it was: connection and
 * statement calls still work, query listeners still see every execution with its batch size and
 * failure, and a method listener someone adds to the proxy still sees every call.
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
		List<String> seen = recordCalls(dataSource, Connection.class);
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement("select 1")) {
			statement.executeQuery().close();
		}
		// Also getMetaData: our listener asks the first connection which database it is.
		assertThat(seen).containsSubsequence("prepareStatement", "close");
	}

	@Test
	void methodListenerAddedToTheProxySeesEveryStatementCall() throws SQLException {
		ProxyDataSource dataSource = proxy("statement-listened");
		List<String> seen = recordCalls(dataSource, Statement.class);
		try (Connection connection = dataSource.getConnection()) {
			connection.createStatement().execute("create table items (id int)");
			try (PreparedStatement insert = connection.prepareStatement("insert into items values (?)")) {
				insert.setInt(1, 1);
				insert.addBatch();
				insert.setQueryTimeout(5);
				insert.executeBatch();
			}
		}
		assertThat(seen).containsSubsequence("execute", "setInt", "addBatch", "setQueryTimeout", "executeBatch",
				"close");
	}

	@Test
	void batchRowsGoingStraightToTheDriverStillMakeTheBatchSize() throws SQLException {
		ProxyDataSource dataSource = proxy("batch-size");
		List<ExecutionInfo> executions = recordExecutions(dataSource);
		try (Connection connection = dataSource.getConnection()) {
			connection.createStatement().execute("create table items (id int)");
			try (PreparedStatement insert = connection.prepareStatement("insert into items values (?)")) {
				for (int id = 1; id <= 3; id++) {
					insert.setInt(1, id);
					insert.addBatch();
				}
				assertThat(insert.executeBatch()).containsExactly(1, 1, 1);
				// Rows cleared before they ran are not part of the next batch.
				insert.setInt(1, 4);
				insert.addBatch();
				insert.clearBatch();
				insert.setInt(1, 5);
				insert.addBatch();
				assertThat(insert.executeBatch()).containsExactly(1);
			}
			try (ResultSet rows = connection.createStatement().executeQuery("select sum(id) from items")) {
				rows.next();
				assertThat(rows.getInt(1)).isEqualTo(1 + 2 + 3 + 5);
			}
		}
		assertThat(executions).filteredOn(ExecutionInfo::isBatch)
			.extracting(ExecutionInfo::getBatchSize)
			.containsExactly(3, 1);
	}

	@Test
	void batchSizeCountsRowsAddedBeforeAndAfterAMethodListenerJoined() throws SQLException {
		ProxyDataSource dataSource = proxy("listener-joins");
		List<ExecutionInfo> executions = recordExecutions(dataSource);
		try (Connection connection = dataSource.getConnection()) {
			connection.createStatement().execute("create table items (id int)");
			try (PreparedStatement insert = connection.prepareStatement("insert into items values (?)")) {
				insert.setInt(1, 1);
				insert.addBatch();
				insert.setInt(1, 2);
				insert.addBatch();
				// From now on datasource-proxy counts the rows itself.
				recordCalls(dataSource, Object.class);
				insert.setInt(1, 3);
				insert.addBatch();
				insert.executeBatch();
			}
		}
		assertThat(executions).filteredOn(ExecutionInfo::isBatch)
			.singleElement()
			.satisfies((execution) -> assertThat(execution.getBatchSize()).isEqualTo(3));
	}

	@Test
	void plainStatementBatchKeepsItsSql() throws SQLException {
		ProxyDataSource dataSource = proxy("plain-batch");
		List<ExecutionInfo> executions = new CopyOnWriteArrayList<>();
		List<String> queries = new CopyOnWriteArrayList<>();
		dataSource.getProxyConfig().getQueryListener().addListener(new QueryExecutionListener() {

			@Override
			public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> infos) {
			}

			@Override
			public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> infos) {
				if (execInfo.isBatch()) {
					executions.add(execInfo);
					infos.forEach((info) -> queries.add(info.getQuery()));
				}
			}

		});
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("create table items (id int)");
			statement.addBatch("insert into items values (1)");
			statement.addBatch("insert into items values (2)");
			statement.executeBatch();
		}
		assertThat(executions).singleElement().satisfies((execution) -> assertThat(execution.getBatchSize()).isEqualTo(2));
		assertThat(queries).containsExactly("insert into items values (1)", "insert into items values (2)");
	}

	@Test
	void failingStatementStillReachesTheQueryListeners() throws SQLException {
		ProxyDataSource dataSource = proxy("failing");
		List<ExecutionInfo> executions = recordExecutions(dataSource);
		try (Connection connection = dataSource.getConnection()) {
			connection.createStatement().execute("create table items (id int primary key)");
			try (PreparedStatement insert = connection.prepareStatement("insert into items values (?)")) {
				insert.setInt(1, 1);
				insert.addBatch();
				insert.setInt(1, 1);
				insert.addBatch();
				assertThatExceptionOfType(BatchUpdateException.class).isThrownBy(insert::executeBatch);
				insert.setInt(1, 1);
				assertThatExceptionOfType(SQLException.class).isThrownBy(insert::executeUpdate)
					.withMessageContaining("PRIMARY KEY");
			}
		}
		assertThat(executions).filteredOn((execution) -> !execution.isSuccess()).satisfiesExactly((batch) -> {
			assertThat(batch.isBatch()).isTrue();
			assertThat(batch.getBatchSize()).isEqualTo(2);
			assertThat(batch.getThrowable()).isInstanceOf(BatchUpdateException.class);
		}, (update) -> assertThat(update.getThrowable()).isInstanceOf(SQLException.class));
	}

	@Test
	void statementProxyUnwrapsToTheDriverStatement() throws SQLException {
		ProxyDataSource dataSource = proxy("unwrap");
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement("select 1")) {
			assertThat(statement.isWrapperFor(JdbcPreparedStatement.class)).isTrue();
			assertThat(statement.unwrap(JdbcPreparedStatement.class)).isInstanceOf(JdbcPreparedStatement.class);
			assertThat(statement.getConnection()).isSameAs(connection);
			assertThat(((ProxyJdbcObject) statement).getTarget()).isInstanceOf(JdbcPreparedStatement.class);
		}
	}

	/** Executions as a query listener added after ours on the proxy's chain sees them. */
	/** Adds a method listener of someone else's, recording the calls on targets of the type. */
	private static List<String> recordCalls(ProxyDataSource dataSource, Class<?> target) {
		List<String> seen = new CopyOnWriteArrayList<>();
		dataSource.getProxyConfig().getMethodListener().addListener(new MethodExecutionListener() {

			@Override
			public void beforeMethod(MethodExecutionContext context) {
			}

			@Override
			public void afterMethod(MethodExecutionContext context) {
				if (target.isInstance(context.getTarget())) {
					seen.add(context.getMethod().getName());
				}
			}

		});
		return seen;
	}

	private static List<ExecutionInfo> recordExecutions(ProxyDataSource dataSource) {
		List<ExecutionInfo> executions = new CopyOnWriteArrayList<>();
		dataSource.getProxyConfig().getQueryListener().addListener(new QueryExecutionListener() {

			@Override
			public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queries) {
			}

			@Override
			public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queries) {
				executions.add(execInfo);
			}

		});
		return executions;
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
