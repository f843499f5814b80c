package dev.sentryboot.autoconfigure.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.sentryboot.autoconfigure.jdbc.SentryTransactionWork.inTransaction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The JDBC integration against a real PostgreSQL server (the distribution's binaries, started by
 * {@link PostgresServer}): what H2 cannot show, such as PostgreSQL's own SQL states, driver URL
 * and batch results, as they reach a real envelope endpoint.
 */
class PostgresJdbcIntegrationTests {

	@RegisterExtension
	static final PostgresServer postgres = new PostgresServer();

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String CREATE = "create table orders (id bigint primary key, item varchar(64) not null)";

	private static final String INSERT = "insert into orders (id, item) values (?, ?)";

	private static final String COUNT = "select count(*) from orders";

	private static final String FAILING_SQL = "select id from no_such_table";

	private final SentryTestServer sentry = new SentryTestServer();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SentryAutoConfiguration.class, DataSourceAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, SentryJdbcAutoConfiguration.class))
		.withPropertyValues("sentry.dsn=" + this.sentry.dsn(), "sentry.traces-sample-rate=1.0",
				"spring.datasource.url=" + postgres.jdbcUrl(), "spring.datasource.username=" + PostgresServer.USER,
				"spring.datasource.hikari.maximum-pool-size=2", "spring.datasource.hikari.connection-timeout=5000");

	@AfterEach
	void dropTableAndStopSentry() {
		try {
			new JdbcTemplate(new DriverManagerDataSource(postgres.jdbcUrl(), PostgresServer.USER, ""))
				.execute("drop table if exists orders");
		}
		finally {
			this.sentry.close();
		}
	}

	@Test
	void eventCarriesQueryBreadcrumbsInOrderWithTheFailingStatementLast() {
		this.runner.run((context) -> inTransaction(context, (jdbc) -> {
			jdbc.execute(CREATE);
			assertThat(jdbc.update(INSERT, 1L, "book-7731")).isEqualTo(1);
			jdbc.batchUpdate(INSERT, List.of(new Object[] { 2L, "pen-8842" }, new Object[] { 3L, "ink-9953" }));
			assertThat(jdbc.queryForObject(COUNT, Integer.class)).isEqualTo(3);
			assertThat(jdbc.queryForList("select item from orders order by id", String.class))
				.containsExactly("book-7731", "pen-8842", "ink-9953");
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> jdbc.queryForList(FAILING_SQL, Long.class));
		}));
		JsonNode event = this.sentry.awaitEvents(1, WAIT).get(0);
		List<JsonNode> queries = SentryTestServer.breadcrumbs(event, "query");
		assertThat(queries).extracting((crumb) -> crumb.path("message").asString())
			.containsExactly(CREATE, INSERT, INSERT, COUNT, "select item from orders order by id", FAILING_SQL);
		assertThat(queries).allSatisfy((crumb) -> {
			assertThat(crumb.path("type").asString()).isEqualTo("query");
			assertThat(crumb.path("data").path("data_source").asString()).isEqualTo("dataSource");
			assertThat(crumb.path("data").has("duration_ms")).isTrue();
		});
		assertThat(queries.subList(0, 5))
			.allSatisfy((crumb) -> assertThat(crumb.path("level").asString("info")).isEqualTo("info"));
		assertThat(queries.get(1).path("data").path("rows_affected").asInt()).isEqualTo(1);
		JsonNode batch = queries.get(2);
		assertThat(batch.path("data").path("batch_size").asInt()).isEqualTo(2);
		assertThat(batch.path("data").path("rows_affected").asInt()).isEqualTo(2);
		JsonNode failed = queries.get(5);
		assertThat(failed.path("level").asString()).isEqualTo("error");
		// undefined_table: PostgreSQL's own state, where H2 says 42S02.
		assertThat(failed.path("data").path("sql_state").asString()).isEqualTo("42P01");
		assertThat(event.toString()).doesNotContain("book-7731", "pen-8842", "ink-9953");
	}

	@Test
	void transactionCarriesQuerySpansOfPostgresql() {
		this.runner.run((context) -> inTransaction(context, (jdbc) -> {
			jdbc.execute(CREATE);
			jdbc.update(INSERT, 1L, "book-7731");
			jdbc.queryForObject(COUNT, Integer.class);
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> jdbc.queryForList(FAILING_SQL, Long.class));
		}));
		JsonNode transaction = this.sentry.awaitTransactions(1, WAIT).get(0);
		List<JsonNode> queries = SentryTestServer.spans(transaction, SentryQueryListener.QUERY_OPERATION);
		assertThat(queries).extracting((span) -> span.path("description").asString())
			.containsExactly(CREATE, INSERT, COUNT, FAILING_SQL);
		assertThat(queries).allSatisfy((span) -> {
			assertThat(span.path("data").path("db.system").asString()).isEqualTo("postgresql");
			assertThat(span.path("data").path("db.name").asString()).isEqualTo("postgres");
		});
		assertThat(queries.subList(0, 3)).allSatisfy((span) -> assertThat(span.path("status").asString()).isEqualTo("ok"));
		assertThat(queries.get(3).path("status").asString()).isEqualTo("internal_error");
		assertThat(SentryTestServer.spans(transaction, SentryQueryListener.CONNECTION_OPERATION)).hasSize(4);
	}

	@Test
	void commitAndRollbackAreSpansAndTakeEffect() {
		this.runner.run((context) -> inTransaction(context, (jdbc) -> {
			jdbc.execute(CREATE);
			TransactionTemplate transactions = new TransactionTemplate(
					new DataSourceTransactionManager(context.getBean(DataSource.class)));
			transactions.executeWithoutResult((status) -> jdbc.update(INSERT, 1L, "kept"));
			transactions.executeWithoutResult((status) -> {
				jdbc.update(INSERT, 2L, "discarded");
				status.setRollbackOnly();
			});
			assertThat(jdbc.queryForList("select item from orders", String.class)).containsExactly("kept");
		}));
		JsonNode transaction = this.sentry.awaitTransactions(1, WAIT).get(0);
		List<JsonNode> commits = SentryTestServer.spans(transaction, SentryQueryListener.COMMIT_OPERATION);
		List<JsonNode> rollbacks = SentryTestServer.spans(transaction, SentryQueryListener.ROLLBACK_OPERATION);
		assertThat(commits).hasSize(1);
		assertThat(rollbacks).hasSize(1);
		assertThat(commits.get(0).path("description").asString()).isEqualTo("COMMIT");
		assertThat(rollbacks.get(0).path("description").asString()).isEqualTo("ROLLBACK");
		assertThat(List.of(commits.get(0), rollbacks.get(0))).allSatisfy((span) -> {
			assertThat(span.path("status").asString()).isEqualTo("ok");
			assertThat(span.path("data").path("db.system").asString()).isEqualTo("postgresql");
		});
		assertThat(commits.get(0).path("start_timestamp").asDouble())
			.isLessThanOrEqualTo(rollbacks.get(0).path("start_timestamp").asDouble());
		assertThat(SentryTestServer.spans(transaction, SentryQueryListener.QUERY_OPERATION))
			.extracting((span) -> span.path("description").asString())
			.containsExactly(CREATE, INSERT, INSERT, "select item from orders");
	}

	@Test
	void unwrapsToTheHikariPoolOfTheServer() {
		this.runner.run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(dataSource).isInstanceOf(ProxyDataSource.class);
			assertThat(dataSource.isWrapperFor(HikariDataSource.class)).isTrue();
			HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
			assertThat(pool.getJdbcUrl()).isEqualTo(postgres.jdbcUrl());
			assertThat(new JdbcTemplate(pool).queryForObject("select current_database()", String.class))
				.isEqualTo(PostgresServer.DATABASE);
			assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
		});
	}

}
