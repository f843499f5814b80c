package dev.sentryboot.autoconfigure.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import io.sentry.IScopes;
import io.sentry.ISentryLifecycleToken;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.sentryboot.autoconfigure.jdbc.SentryTransactionWork.inTransaction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Queries as they reach Sentry: breadcrumbs on the events and spans on the transactions a real
 * envelope endpoint receives.
 */
class SentryQueryListenerTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String FAILING_SQL = "insert into no_such_table (id) values (1)";

	private final SentryTestServer sentry = new SentryTestServer();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SentryAutoConfiguration.class, DataSourceAutoConfiguration.class,
				DataSourceInitializationAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
				SentryJdbcAutoConfiguration.class))
		.withPropertyValues("sentry.dsn=" + this.sentry.dsn(), "sentry.traces-sample-rate=1.0",
				"spring.sql.init.schema-locations=classpath:dev/sentryboot/autoconfigure/jdbc/schema.sql");

	@AfterEach
	void stopSentry() {
		this.sentry.close();
	}

	@Test
	void eventCarriesQueryBreadcrumbsInOrderWithTheFailingStatementLast() {
		this.runner.run((context) -> inTransaction(context, (jdbc) -> {
			jdbc.update("insert into orders (id, item) values (?, ?)", 1L, "book-7731");
			jdbc.batchUpdate("insert into orders (id, item) values (?, ?)",
					List.of(new Object[] { 2L, "pen-8842" }, new Object[] { 3L, "ink-9953" }));
			assertThat(jdbc.queryForObject("select count(*) from orders", Integer.class)).isEqualTo(3);
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> jdbc.update(FAILING_SQL));
		}));
		JsonNode event = this.sentry.awaitEvents(1, WAIT).get(0);
		List<JsonNode> queries = SentryTestServer.breadcrumbs(event, "query");
		assertThat(queries).extracting((crumb) -> crumb.path("message").asString())
			.containsExactly("insert into orders (id, item) values (?, ?)", "insert into orders (id, item) values (?, ?)",
					"select count(*) from orders", FAILING_SQL);
		JsonNode insert = queries.get(0);
		assertThat(insert.path("type").asString()).isEqualTo("query");
		assertThat(insert.path("data").path("rows_affected").asInt()).isEqualTo(1);
		assertThat(insert.path("data").path("data_source").asString()).isEqualTo("dataSource");
		assertThat(insert.path("data").has("duration_ms")).isTrue();
		assertThat(insert.path("data").has("parameters")).isFalse();
		assertThat(insert.path("level").asString("info")).isEqualTo("info");
		JsonNode batch = queries.get(1);
		assertThat(batch.path("data").path("batch_size").asInt()).isEqualTo(2);
		assertThat(batch.path("data").path("rows_affected").asInt()).isEqualTo(2);
		JsonNode failed = queries.get(3);
		assertThat(failed.path("level").asString()).isEqualTo("error");
		assertThat(failed.path("data").path("sql_state").asString()).isEqualTo("42S02");
		assertThat(failed.path("data").path("error_code").asInt()).isPositive();
		assertThat(event.toString()).doesNotContain("book-7731", "pen-8842", "ink-9953");
	}

	@Test
	void queriesOutsideAUnitOfWorkAreNotRecordedAndLeaveTheThreadAlone() {
		this.runner.run((context) -> {
			SentrySdk sdk = context.getBean(SentrySdk.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			// A thread with no scopes of its own, as a pool's housekeeping thread: neither the
			// root scopes every request forks nor scopes forked for this thread get the query.
			Thread worker = new Thread(() -> {
				jdbc.queryForObject("select count(*) from orders", Integer.class);
				assertThat(io.sentry.Sentry.getCurrentScopes(false).isNoOp()).isTrue();
			});
			List<Throwable> failures = new ArrayList<>();
			worker.setUncaughtExceptionHandler((thread, ex) -> failures.add(ex));
			worker.start();
			worker.join();
			assertThat(failures).isEmpty();
			sdk.getScopes().captureMessage("after a query outside any request");
		});
		JsonNode event = this.sentry.awaitEvents(1, WAIT).get(0);
		assertThat(SentryTestServer.breadcrumbs(event, "query")).isEmpty();
	}

	@Test
	void failingConnectionLeavesAnErrorBreadcrumb() {
		// Nothing listens on port 1: the driver fails to connect.
		this.runner.withPropertyValues("spring.sql.init.mode=never")
			.withBean("dataSource", DataSource.class,
					() -> new DriverManagerDataSource("jdbc:h2:tcp://127.0.0.1:1/nothing"))
			.run((context) -> {
				IScopes scopes = context.getBean(SentrySdk.class).getScopes().forkedScopes("test");
				try (ISentryLifecycleToken ignored = scopes.makeCurrent()) {
					assertThatExceptionOfType(SQLException.class)
						.isThrownBy(() -> context.getBean(DataSource.class).getConnection().close());
					scopes.captureMessage("work without a connection");
				}
			});
		JsonNode event = this.sentry.awaitEvents(1, WAIT).get(0);
		assertThat(SentryTestServer.breadcrumbs(event, SentryQueryListener.CONNECTION_OPERATION))
			.singleElement()
			.satisfies((crumb) -> {
				assertThat(crumb.path("level").asString()).isEqualTo("error");
				assertThat(crumb.path("message").asString()).isEqualTo("No connection from data source dataSource");
				assertThat(crumb.path("data").path("data_source").asString()).isEqualTo("dataSource");
				assertThat(crumb.path("data").path("sql_state").asString()).isNotEmpty();
				assertThat(crumb.path("data").path("error").asString()).isEqualTo("org.h2.jdbc.JdbcSQLNonTransientConnectionException");
			});
	}

	@Test
	void transactionCarriesQuerySpansOfTheDatabase() {
		this.runner.run((context) -> inTransaction(context, (jdbc) -> {
			jdbc.queryForObject("select count(*) from orders", Integer.class);
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> jdbc.update(FAILING_SQL));
		}));
		JsonNode transaction = this.sentry.awaitTransactions(1, WAIT).get(0);
		List<JsonNode> queries = SentryTestServer.spans(transaction, SentryQueryListener.QUERY_OPERATION);
		assertThat(queries).extracting((span) -> span.path("description").asString())
			.containsExactly("select count(*) from orders", FAILING_SQL);
		assertThat(queries).allSatisfy((span) -> {
			assertThat(span.path("data").path("db.system").asString()).isEqualTo("h2");
			assertThat(span.path("data").path("db.name").asString()).isNotEmpty();
		});
		assertThat(queries.get(0).path("status").asString()).isEqualTo("ok");
		assertThat(queries.get(1).path("status").asString()).isEqualTo("internal_error");
		assertThat(SentryTestServer.spans(transaction, SentryQueryListener.CONNECTION_OPERATION)).hasSize(2);
	}

	@Test
	void commitAndRollbackAreSpans() {
		this.runner.run((context) -> inTransaction(context, (jdbc) -> {
			TransactionTemplate transactions = new TransactionTemplate(
					new DataSourceTransactionManager(context.getBean(DataSource.class)));
			transactions.executeWithoutResult((status) -> jdbc.update("insert into orders (id, item) values (1, 'a')"));
			transactions.executeWithoutResult((status) -> {
				jdbc.update("insert into orders (id, item) values (2, 'b')");
				status.setRollbackOnly();
			});
			try (Connection connection = context.getBean(DataSource.class).getConnection()) {
				connection.setAutoCommit(false);
				try (Statement statement = connection.createStatement()) {
					statement.executeUpdate("update orders set item = 'c' where id = 1");
				}
				connection.rollback();
				connection.setAutoCommit(true);
			}
			catch (java.sql.SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}));
		JsonNode transaction = this.sentry.awaitTransactions(1, WAIT).get(0);
		assertThat(SentryTestServer.spans(transaction, SentryQueryListener.COMMIT_OPERATION)).hasSize(1)
			.allSatisfy((span) -> assertThat(span.path("status").asString()).isEqualTo("ok"));
		assertThat(SentryTestServer.spans(transaction, SentryQueryListener.ROLLBACK_OPERATION)).hasSize(2);
		assertThat(SentryTestServer.spans(transaction, SentryQueryListener.QUERY_OPERATION)).extracting((span) -> span.path("description").asString())
			.containsExactly("insert into orders (id, item) values (1, 'a')", "insert into orders (id, item) values (2, 'b')",
					"update orders set item = 'c' where id = 1");
	}

	@Test
	void recordsParametersOnlyWhenAskedAndPersonalDataIsAllowed() {
		this.runner.withPropertyValues("sentry.jdbc.include-parameters=true", "sentry.send-default-pii=true")
			.run((context) -> inTransaction(context, (jdbc) -> {
				jdbc.update("insert into orders (id, item) values (?, ?)", 7L, "lamp");
				assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> jdbc.update(FAILING_SQL));
			}));
		JsonNode insert = SentryTestServer.breadcrumbs(this.sentry.awaitEvents(1, WAIT).get(0), "query").get(0);
		assertThat(insert.path("data").path("parameters").toString()).isEqualTo("[\"7\",\"lamp\"]");
	}

	@Test
	void doesNotRecordParametersWithoutPersonalData() {
		this.runner.withPropertyValues("sentry.jdbc.include-parameters=true")
			.run((context) -> inTransaction(context, (jdbc) -> {
				jdbc.update("insert into orders (id, item) values (?, ?)", 7L, "lamp");
				assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> jdbc.update(FAILING_SQL));
			}));
		JsonNode event = this.sentry.awaitEvents(1, WAIT).get(0);
		assertThat(SentryTestServer.breadcrumbs(event, "query").get(0).path("data").has("parameters")).isFalse();
		assertThat(event.toString()).doesNotContain("lamp");
	}

	@Test
	void marksSlowStatements() {
		this.runner.withPropertyValues("sentry.jdbc.slow-query-threshold=0ms")
			.run((context) -> inTransaction(context, (jdbc) -> {
				jdbc.queryForObject("select count(*) from orders", Integer.class);
				assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> jdbc.update(FAILING_SQL));
			}));
		List<JsonNode> queries = SentryTestServer.breadcrumbs(this.sentry.awaitEvents(1, WAIT).get(0), "query");
		assertThat(queries.get(0).path("level").asString()).isEqualTo("warning");
		assertThat(queries.get(0).path("data").path("slow").asBoolean()).isTrue();
		assertThat(queries.get(1).path("level").asString()).isEqualTo("error");
		assertThat(SentryTestServer.spans(this.sentry.awaitTransactions(1, WAIT).get(0), SentryQueryListener.QUERY_OPERATION))
			.allSatisfy((span) -> assertThat(span.path("data").path("slow").asBoolean()).isTrue());
	}

	@Test
	void routingDataSourceWithWrappedTargetsRecordsEachStatementOnce() {
		this.runner.withUserConfiguration(RoutingDataSources.class).run((context) -> inTransaction(context, (jdbc) -> {
			jdbc.execute("create table routed (id int)");
			jdbc.update("insert into routed (id) values (1)");
		}));
		JsonNode event = this.sentry.awaitEvents(1, WAIT).get(0);
		assertThat(SentryTestServer.breadcrumbs(event, "query")).extracting((crumb) -> crumb.path("message").asString())
			.containsExactly("create table routed (id int)", "insert into routed (id) values (1)");
		JsonNode transaction = this.sentry.awaitTransactions(1, WAIT).get(0);
		assertThat(SentryTestServer.spans(transaction, SentryQueryListener.QUERY_OPERATION)).hasSize(2);
		assertThat(SentryTestServer.spans(transaction, SentryQueryListener.CONNECTION_OPERATION)).hasSize(2);
	}

	@Test
	void aFailingListenerNeverFailsTheQueryNorLeaksTheConnection() throws Exception {
		try (HikariDataSource pool = new HikariDataSource()) {
			pool.setJdbcUrl("jdbc:h2:mem:failing-listener");
			SentryQueryListener failing = new SentryQueryListener("pool", () -> {
				throw new IllegalStateException("listener failed");
			}, true, 0);
			DataSource dataSource = ProxyDataSourceBuilder.create(pool).listener(failing).methodListener(failing).build();
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.execute("create table items (id int)");
			assertThat(jdbc.update("insert into items (id) values (?)", 1)).isEqualTo(1);
			assertThat(jdbc.queryForObject("select count(*) from items", Integer.class)).isEqualTo(1);
			new TransactionTemplate(new DataSourceTransactionManager(dataSource))
				.executeWithoutResult((status) -> jdbc.update("delete from items"));
			assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
		}
	}

	/** A routing DataSource whose targets are DataSource beans too: all three get wrapped. */
	@Configuration(proxyBeanMethods = false)
	static class RoutingDataSources {

		@Bean
		DataSource primary() {
			return new DriverManagerDataSource("jdbc:h2:mem:routing-primary;DB_CLOSE_DELAY=-1");
		}

		@Bean
		@Primary
		DataSource dataSource(DataSource primary) {
			AbstractRoutingDataSource routing = new AbstractRoutingDataSource() {
				@Override
				protected Object determineCurrentLookupKey() {
					return "primary";
				}
			};
			routing.setTargetDataSources(Map.of("primary", primary));
			routing.afterPropertiesSet();
			return routing;
		}

	}

}
