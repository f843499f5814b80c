package dev.sentryboot.benchmarks;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.p6spy.engine.spy.P6DataSource;
import com.p6spy.engine.wrapper.ConnectionWrapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.jdbc.SentryJdbcAutoConfiguration;
import dev.sentryboot.autoconfigure.local.SentryLocalStoreAutoConfiguration;
import dev.sentryboot.autoconfigure.scrub.SentryScrubAutoConfiguration;
import io.sentry.Breadcrumb;
import io.sentry.IScopes;
import io.sentry.ISentryLifecycleToken;
import io.sentry.ITransaction;
import io.sentry.ScopeType;
import io.sentry.SentryOptions.BeforeSendTransactionCallback;
import io.sentry.SentryTracer;
import io.sentry.Span;
import io.sentry.TransactionContext;
import io.sentry.TransactionOptions;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.MethodExecutionContext;
import net.ttddyy.dsproxy.listener.MethodExecutionListener;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

/**
 * Cost per JDBC statement of reporting queries to Sentry, on H2 in memory behind the HikariCP
 * pool Boot's {@code DataSourceAutoConfiguration} creates. Every variant uses that same pool:
 * <ul>
 * <li>{@code raw}: the pool itself;</li>
 * <li>{@code proxyOff}: the DataSource bean our auto-configuration wraps (datasource-proxy and
 * {@code SentryQueryListener}), SDK not started (no DSN);</li>
 * <li>{@code proxyOn}: the same, SDK started (local event store, nothing on the network), with
 * request-like forked scopes current on the thread: a breadcrumb per statement;</li>
 * <li>{@code proxyOnTx}: as {@code proxyOn} with a sampled transaction bound to the scopes: a
 * breadcrumb and spans (connection, query) per statement;</li>
 * <li>{@code p6spyOn}, {@code p6spyOnTx}: Sentry's documented alternative, a P6Spy
 * {@link P6DataSource} over the pool with sentry-jdbc's {@code SentryJdbcEventListener}
 * (ServiceLoader; {@code modulelist=com.p6spy.engine.spy.P6SpyFactory} in {@code spy.properties},
 * as Sentry's docs advise), same SDK and scopes. sentry-jdbc records spans only, no
 * breadcrumbs, so {@code p6spyOn} is P6Spy's bare cost plus one {@code getSpan()}.</li>
 * </ul>
 * Each operation is one statement as {@code JdbcTemplate} runs it outside a transaction:
 * connection from the pool, prepared statement, execute, close. In the {@code *Tx} variants a
 * transaction holds {@value #STATEMENTS_PER_TRANSACTION} statements, then is finished and a new
 * one started; finished transactions are dropped by a before-send callback, so the numbers hold
 * the cost inside the JDBC calls (plus 1/{@value #STATEMENTS_PER_TRANSACTION} of starting and
 * finishing a transaction), not the cost of scrubbing and sending it.
 * <p>
 * {@code insertBatch} empties the table every {@value #BATCHES_BETWEEN_TRUNCATES} batches
 * through the pool: the same amortized cost in every variant. H2's code needs about 7 s of
 * warm-up on two cores before batches settle, selects about 3 s.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(1)
@Measurement(iterations = 5, time = 1)
public class JdbcBenchmark {

	private static final String SELECT_SQL = "select id, customer, item, amount from orders where id = ?";

	private static final String INSERT_SQL = "insert into order_events (order_id, kind, note) values (?, ?, ?)";

	private static final int ORDERS = 1_000;

	private static final int BATCH_SIZE = 10;

	/**
	 * H2 slows down and becomes erratic (10 to 150 µs per batch) as the table grows to hundreds
	 * of thousands of rows in an iteration: keep it under 1,000 rows.
	 */
	private static final int BATCHES_BETWEEN_TRUNCATES = 100;

	/** A busy request: enough for spans to pile up in the transaction, well under maxSpans. */
	private static final int STATEMENTS_PER_TRANSACTION = 50;

	/**
	 * Also {@code dsproxy} and {@code dsproxyMethods} (not run by default, {@code -p variant=...}):
	 * datasource-proxy over the pool with a no-op query listener, without and with a no-op method
	 * listener, to tell datasource-proxy's own cost from our listener's.
	 */
	@Param({ "raw", "proxyOff", "proxyOn", "proxyOnTx", "p6spyOn", "p6spyOnTx" })
	public String variant;

	private static final QueryExecutionListener NO_OP_QUERIES = new QueryExecutionListener() {

		@Override
		public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queries) {
		}

		@Override
		public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queries) {
		}

	};

	private static final MethodExecutionListener NO_OP_METHODS = new MethodExecutionListener() {

		@Override
		public void beforeMethod(MethodExecutionContext context) {
		}

		@Override
		public void afterMethod(MethodExecutionContext context) {
		}

	};

	private AnnotationConfigApplicationContext context;

	private HikariDataSource pool;

	private DataSource dataSource;

	private IScopes scopes;

	private ISentryLifecycleToken currentScopes;

	private ITransaction transaction;

	private int statements;

	private long nextOrder;

	private long batches;

	@Setup(Level.Trial)
	public void startApplication() throws SQLException {
		boolean sentry = this.variant.endsWith("On") || this.variant.endsWith("OnTx");
		boolean ours = this.variant.startsWith("proxy") || this.variant.startsWith("dsproxy");
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.datasource.url", "jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1");
		properties.put("sentry.jdbc.enabled", this.variant.startsWith("proxy"));
		if (sentry) {
			properties.put("sentry.local.enabled", true);
			properties.put("sentry.traces-sample-rate", 1.0);
		}
		this.context = new AnnotationConfigApplicationContext();
		this.context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("benchmark", properties));
		this.context.registerBean("dropTransactions", BeforeSendTransactionCallback.class,
				() -> (transaction, hint) -> null);
		this.context.register(Application.class);
		this.context.refresh();

		DataSource bean = this.context.getBean(DataSource.class);
		this.pool = bean.unwrap(HikariDataSource.class);
		this.dataSource = switch (this.variant) {
			case "raw", "proxyOff", "proxyOn", "proxyOnTx" -> bean;
			case "p6spyOn", "p6spyOnTx" -> new P6DataSource(bean);
			case "dsproxy" -> ProxyDataSourceBuilder.create(bean).listener(NO_OP_QUERIES).build();
			case "dsproxyMethods" -> ProxyDataSourceBuilder.create(bean)
				.listener(NO_OP_QUERIES)
				.methodListener(NO_OP_METHODS)
				.build();
			default -> throw new IllegalArgumentException(this.variant);
		};
		SentrySdk sdk = this.context.getBean(SentrySdk.class);
		this.scopes = sentry ? sdk.getScopes().forkedScopes("benchmark") : null;
		createTables();
		checkVariant(sdk, sentry, ours);
	}

	@Setup(Level.Iteration)
	public void enterRequest() throws SQLException {
		truncateEvents();
		if (this.scopes != null) {
			this.currentScopes = this.scopes.makeCurrent();
			if (this.variant.endsWith("Tx")) {
				this.transaction = startTransaction();
			}
		}
	}

	@TearDown(Level.Iteration)
	public void leaveRequest() {
		if (this.transaction != null) {
			this.transaction.finish();
			this.transaction = null;
		}
		if (this.currentScopes != null) {
			this.currentScopes.close();
			this.currentScopes = null;
		}
	}

	@TearDown(Level.Trial)
	public void stopApplication() {
		this.context.close();
	}

	@Benchmark
	@Warmup(iterations = 4, time = 1)
	public void selectById(Blackhole blackhole, CpuTime cpu) throws SQLException {
		cpu.operation();
		nextStatement();
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(SELECT_SQL)) {
			statement.setLong(1, 1 + (this.nextOrder++ % ORDERS));
			try (ResultSet rows = statement.executeQuery()) {
				rows.next();
				blackhole.consume(rows.getLong(1));
				blackhole.consume(rows.getString(2));
				blackhole.consume(rows.getString(3));
				blackhole.consume(rows.getBigDecimal(4));
			}
		}
	}

	@Benchmark
	@Warmup(iterations = 7, time = 1)
	public int[] insertBatch(CpuTime cpu) throws SQLException {
		cpu.operation();
		nextStatement();
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(INSERT_SQL)) {
			long order = 1 + (this.nextOrder++ % ORDERS);
			for (int i = 0; i < BATCH_SIZE; i++) {
				statement.setLong(1, order);
				statement.setString(2, "ITEM_ADDED");
				statement.setString(3, "sku-" + i);
				statement.addBatch();
			}
			int[] counts = statement.executeBatch();
			if (++this.batches % BATCHES_BETWEEN_TRUNCATES == 0) {
				truncateEvents();
			}
			return counts;
		}
	}

	private void nextStatement() {
		if (this.transaction != null && ++this.statements % STATEMENTS_PER_TRANSACTION == 0) {
			this.transaction.finish();
			this.transaction = startTransaction();
		}
	}

	private ITransaction startTransaction() {
		TransactionOptions options = new TransactionOptions();
		options.setBindToScope(true);
		return this.scopes.startTransaction(new TransactionContext("POST /api/orders/{id}/events", "http.server"),
				options);
	}

	// Through the pool, never a wrapper: the same cost in every variant, and nothing recorded.
	private void truncateEvents() throws SQLException {
		try (Connection connection = this.pool.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("truncate table order_events");
		}
	}

	private void createTables() throws SQLException {
		try (Connection connection = this.pool.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("create table orders (id bigint primary key, customer varchar(40), "
					+ "item varchar(80), amount decimal(10, 2))");
			// No index but the hidden row id: the batch measures the wrappers, not index upkeep.
			statement.execute("create table order_events (order_id bigint, kind varchar(20), note varchar(80))");
		}
		try (Connection connection = this.pool.getConnection();
				PreparedStatement insert = connection.prepareStatement("insert into orders values (?, ?, ?, ?)")) {
			for (int id = 1; id <= ORDERS; id++) {
				insert.setLong(1, id);
				insert.setString(2, "c-" + (id % 97));
				insert.setString(3, "Espresso beans 1kg, order " + id);
				insert.setBigDecimal(4, BigDecimal.valueOf(1999 + id, 2));
				insert.addBatch();
			}
			insert.executeBatch();
		}
	}

	/**
	 * A variant that silently measured something else (SDK off, P6Spy not wrapping, the listener
	 * not loaded) would flatter or blame the wrong wrapper: fail the run instead.
	 */
	private void checkVariant(SentrySdk sdk, boolean sentry, boolean ours) throws SQLException {
		List<String> problems = new ArrayList<>();
		if (sdk.isActive() != sentry) {
			problems.add("SDK active=" + sdk.isActive() + ", expected " + sentry);
		}
		if ((this.dataSource instanceof ProxyDataSource) != ours) {
			problems.add("DataSource is " + this.dataSource.getClass().getName());
		}
		if (this.variant.startsWith("p6spy")) {
			try (Connection connection = this.dataSource.getConnection()) {
				if (!(connection instanceof ConnectionWrapper)) {
					problems.add("P6Spy does not wrap connections: " + connection.getClass().getName());
				}
			}
		}
		if (sentry) {
			try (ISentryLifecycleToken ignored = this.scopes.makeCurrent()) {
				ITransaction check = startTransaction();
				selectOnce();
				List<String> operations = ((SentryTracer) check).getChildren().stream().map(Span::getOperation).toList();
				check.finish();
				String expected = ours ? "db.sql.query" : "db.query";
				if (!operations.contains(expected)) {
					problems.add("no " + expected + " span in a transaction, only " + operations);
				}
				if (ours && !lastBreadcrumbIsTheSelect()) {
					problems.add("no query breadcrumb");
				}
			}
		}
		if (new File("spy.log").exists()) {
			problems.add("P6Spy writes spy.log: its modulelist includes the logging module (see spy.properties)");
		}
		if (!problems.isEmpty()) {
			throw new IllegalStateException("Variant " + this.variant + " is not set up as intended: " + problems);
		}
	}

	private void selectOnce() throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(SELECT_SQL)) {
			statement.setLong(1, 1);
			try (ResultSet rows = statement.executeQuery()) {
				rows.next();
			}
		}
	}

	private boolean lastBreadcrumbIsTheSelect() {
		List<Breadcrumb> breadcrumbs = new ArrayList<>();
		this.scopes.configureScope(ScopeType.COMBINED, (scope) -> breadcrumbs.addAll(scope.getBreadcrumbs()));
		return !breadcrumbs.isEmpty() && SELECT_SQL.equals(breadcrumbs.get(breadcrumbs.size() - 1).getMessage());
	}

	/**
	 * CPU time of the benchmark thread per operation: {@code cpuNanos / cpuOps} (both summed the
	 * same way by JMH, so their ratio holds). On a loaded machine the average time also counts
	 * the time the thread waited for a core; CPU time does not, so it compares variants better.
	 * The thread's CPU clock is read every {@value #SAMPLE} operations, the same small cost in
	 * every variant.
	 */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.EVENTS)
	public static class CpuTime {

		private static final int SAMPLE = 64;

		private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

		/** CPU nanoseconds of the iteration up to the last sample. */
		public long cpuNanos;

		/** Operations of the iteration up to the last sample. */
		public long cpuOps;

		private long start;

		private long operations;

		@Setup(Level.Iteration)
		public void start() {
			this.cpuNanos = 0;
			this.cpuOps = 0;
			this.operations = 0;
			this.start = threads.getCurrentThreadCpuTime();
		}

		void operation() {
			if (++this.operations % SAMPLE == 0) {
				this.cpuNanos = threads.getCurrentThreadCpuTime() - this.start;
				this.cpuOps = this.operations;
			}
		}

	}

	/**
	 * What an application with spring-boot-starter-jdbc, H2 and sentry-boot gets, without the
	 * web, security and actuator parts, which play no role per statement.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, SentryAutoConfiguration.class,
			SentryScrubAutoConfiguration.class, SentryLocalStoreAutoConfiguration.class,
			SentryJdbcAutoConfiguration.class })
	static class Application {

	}

}
