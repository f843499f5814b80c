package dev.sentryboot.autoconfigure.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.sentryboot.autoconfigure.SentrySdk;
import io.sentry.Breadcrumb;
import io.sentry.IScopes;
import io.sentry.ISpan;
import io.sentry.SentryLevel;
import io.sentry.SentryOptions;
import io.sentry.SpanStatus;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.MethodExecutionContext;
import net.ttddyy.dsproxy.listener.MethodExecutionListener;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.proxy.ParameterSetOperation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import javax.sql.DataSource;

/**
 * Reports the statements, connection acquisitions, commits and rollbacks of one DataSource to
 * the Sentry scopes current on the calling thread: a breadcrumb per statement, and a child span
 * of the active span when there is one.
 * <p>
 * Runs inside the application's JDBC calls: it never throws, since a failure here must not fail
 * the query or leak the connection datasource-proxy is about to hand out, and it never talks to
 * the database.
 */
final class SentryQueryListener implements QueryExecutionListener, MethodExecutionListener {

	static final String QUERY_OPERATION = "db.sql.query";

	static final String CONNECTION_OPERATION = "db.connection";

	static final String COMMIT_OPERATION = "db.sql.transaction.commit";

	static final String ROLLBACK_OPERATION = "db.sql.transaction.rollback";

	private static final Log logger = LogFactory.getLog(SentryQueryListener.class);

	private static final int MAX_PARAMETER_LENGTH = 200;

	// A routing DataSource and its targets may all be wrapped: a statement on the outer proxy
	// runs through the inner one on the same thread. Only the outermost call is recorded, so a
	// thread has at most one recorded call in flight: its state lives here rather than in
	// datasource-proxy's custom values (a map entry, and a table on the first put, per call).
	private static final ThreadLocal<Call> calls = ThreadLocal.withInitial(Call::new);

	private final String dataSourceName;

	private final Supplier<@Nullable SentrySdk> sdk;

	private final boolean includeParameters;

	private final long slowThresholdMillis;

	// Resolved from the first connection, then shared by every statement of this DataSource.
	private volatile @Nullable DatabaseInfo database;

	SentryQueryListener(String dataSourceName, Supplier<@Nullable SentrySdk> sdk, boolean includeParameters,
			long slowThresholdMillis) {
		this.dataSourceName = dataSourceName;
		this.sdk = sdk;
		this.includeParameters = includeParameters;
		this.slowThresholdMillis = slowThresholdMillis;
	}

	@Override
	public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queries) {
		Call call = calls.get();
		int uncountedRows = call.uncountedRows;
		if (uncountedRows != 0) {
			call.uncountedRows = 0;
			if (execInfo.isBatch()) {
				// Before any other query listener of the chain reads it.
				execInfo.setBatchSize(execInfo.getBatchSize() + uncountedRows);
			}
		}
		if (++call.depth > 1) {
			return;
		}
		// Scopes are looked up once per statement: they cannot change inside the JDBC call.
		IScopes scopes = scopes();
		call.scopes = scopes;
		call.span = startSpan(scopes, QUERY_OPERATION, queries);
	}

	@Override
	public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queries) {
		Call call = calls.get();
		if (--call.depth > 0) {
			return;
		}
		IScopes scopes = call.scopes;
		ISpan span = call.span;
		call.clear();
		if (scopes == null) {
			return;
		}
		try {
			long elapsed = execInfo.getElapsedTime();
			boolean slow = elapsed >= this.slowThresholdMillis;
			Throwable failure = execInfo.isSuccess() ? null : execInfo.getThrowable();
			if (span != null) {
				finish(span, slow, failure);
			}
			// No hint: the scope makes one only for a before-breadcrumb callback that needs it.
			scopes.addBreadcrumb(breadcrumb(execInfo, queries, elapsed, slow, failure, scopes.getOptions()), null);
		}
		catch (Throwable ex) {
			ignore(ex);
		}
	}

	@Override
	public void beforeMethod(MethodExecutionContext context) {
		// Called for every JDBC method (setString, next, ...): decide on the name alone first.
		String operation = operation(context.getTarget(), context.getMethod().getName());
		if (operation == null) {
			return;
		}
		Call call = calls.get();
		if (++call.depth > 1) {
			return;
		}
		call.span = startSpan(scopes(), operation, null);
	}

	@Override
	public void afterMethod(MethodExecutionContext context) {
		String operation = operation(context.getTarget(), context.getMethod().getName());
		if (operation == null) {
			return;
		}
		Call call = calls.get();
		if (--call.depth > 0) {
			return;
		}
		ISpan span = call.span;
		call.clear();
		try {
			if (this.database == null && context.getResult() instanceof Connection connection) {
				this.database = DatabaseInfo.fromUrl(connection.getMetaData().getURL());
				if (span != null) {
					// Started before the first connection told which database this is.
					describeDatabase(span);
				}
			}
			if (span != null) {
				finish(span, false, context.getThrown());
			}
			if (context.getThrown() != null && CONNECTION_OPERATION.equals(operation)) {
				// No statement ran, so no query breadcrumb tells why the work failed: this does.
				IScopes scopes = scopes();
				if (scopes != null) {
					scopes.addBreadcrumb(connectionFailed(context.getThrown()), null);
				}
			}
		}
		catch (Throwable ex) {
			ignore(ex);
		}
	}

	/** A child of the active span, or null without one; statements are described by their SQL. */
	private @Nullable ISpan startSpan(@Nullable IScopes scopes, String operation, @Nullable List<QueryInfo> queries) {
		if (scopes == null) {
			return null;
		}
		try {
			ISpan parent = scopes.getSpan();
			if (parent == null) {
				return null;
			}
			ISpan span = parent.startChild(operation, (queries != null) ? sql(queries) : description(operation));
			describeDatabase(span);
			return span;
		}
		catch (Throwable ex) {
			ignore(ex);
			return null;
		}
	}

	/**
	 * The rows of the batch the calling thread is about to execute that datasource-proxy did not
	 * count: {@link SentryJdbcProxyFactory} added them straight to the driver's statement. The
	 * next {@link #beforeQuery} on this thread, the one datasource-proxy makes for that batch,
	 * adds them to the batch size it reports.
	 */
	static void batchRowsNotCounted(int rows) {
		Call call = calls.get();
		call.uncountedRows = rows;
	}

	/**
	 * Whether {@link #beforeMethod} and {@link #afterMethod} do anything for this method of a
	 * Connection: a call of any other may skip them.
	 */
	static boolean recordsConnectionMethod(String method) {
		return "commit".equals(method) || "rollback".equals(method);
	}

	private static @Nullable String operation(Object target, String method) {
		if (target instanceof Connection) {
			if ("commit".equals(method)) {
				return COMMIT_OPERATION;
			}
			if ("rollback".equals(method)) {
				return ROLLBACK_OPERATION;
			}
		}
		else if (target instanceof DataSource && "getConnection".equals(method)) {
			return CONNECTION_OPERATION;
		}
		return null;
	}

	private String description(String operation) {
		return switch (operation) {
			case COMMIT_OPERATION -> "COMMIT";
			case ROLLBACK_OPERATION -> "ROLLBACK";
			default -> this.dataSourceName;
		};
	}

	/** Scopes of the calling thread's unit of work, when it belongs to this application's SDK. */
	private @Nullable IScopes scopes() {
		try {
			SentrySdk sdk = this.sdk.get();
			return (sdk != null) ? sdk.getUnitOfWorkScopes() : null;
		}
		catch (Throwable ex) {
			ignore(ex);
			return null;
		}
	}

	private void describeDatabase(ISpan span) {
		DatabaseInfo info = this.database;
		if (info != null) {
			span.setData("db.system", info.system());
			if (info.name() != null) {
				span.setData("db.name", info.name());
			}
		}
	}

	private static void finish(ISpan span, boolean slow, @Nullable Throwable failure) {
		if (slow) {
			span.setData("slow", true);
		}
		if (failure != null) {
			span.setThrowable(failure);
		}
		span.finish((failure != null) ? SpanStatus.INTERNAL_ERROR : SpanStatus.OK);
	}

	private Breadcrumb breadcrumb(ExecutionInfo execInfo, List<QueryInfo> queries, long elapsed, boolean slow,
			@Nullable Throwable failure, SentryOptions options) {
		Breadcrumb breadcrumb = new Breadcrumb();
		breadcrumb.setType("query");
		breadcrumb.setCategory("query");
		breadcrumb.setMessage(sql(queries));
		breadcrumb.setData("duration_ms", elapsed);
		breadcrumb.setData("data_source", this.dataSourceName);
		Long rows = rowsAffected(execInfo.getResult());
		if (rows != null) {
			breadcrumb.setData("rows_affected", rows);
		}
		if (execInfo.isBatch()) {
			breadcrumb.setData("batch_size", execInfo.getBatchSize());
		}
		if (this.includeParameters && options.isSendDefaultPii()) {
			Object parameters = parameters(execInfo, queries);
			if (parameters != null) {
				breadcrumb.setData("parameters", parameters);
			}
		}
		if (failure != null) {
			breadcrumb.setLevel(SentryLevel.ERROR);
			SQLException sqlException = sqlException(failure);
			if (sqlException != null) {
				breadcrumb.setData("sql_state", sqlException.getSQLState());
				breadcrumb.setData("error_code", sqlException.getErrorCode());
			}
		}
		else if (slow) {
			breadcrumb.setLevel(SentryLevel.WARNING);
		}
		if (slow) {
			breadcrumb.setData("slow", true);
		}
		return breadcrumb;
	}

	private Breadcrumb connectionFailed(Throwable failure) {
		Breadcrumb breadcrumb = new Breadcrumb();
		breadcrumb.setType("query");
		breadcrumb.setCategory(CONNECTION_OPERATION);
		breadcrumb.setLevel(SentryLevel.ERROR);
		breadcrumb.setMessage("No connection from data source " + this.dataSourceName);
		breadcrumb.setData("data_source", this.dataSourceName);
		breadcrumb.setData("error", failure.getClass().getName());
		SQLException sqlException = sqlException(failure);
		if (sqlException != null) {
			breadcrumb.setData("sql_state", sqlException.getSQLState());
			breadcrumb.setData("error_code", sqlException.getErrorCode());
		}
		return breadcrumb;
	}

	private static String sql(List<QueryInfo> queries) {
		if (queries.size() == 1) {
			return queries.get(0).getQuery();
		}
		// A Statement batch of many rows usually repeats a few texts.
		Set<String> distinct = new LinkedHashSet<>();
		for (QueryInfo query : queries) {
			distinct.add(query.getQuery());
		}
		return String.join("; ", distinct);
	}

	private static @Nullable Long rowsAffected(@Nullable Object result) {
		// Only what the statement already returned: asking the driver for more is not free.
		if (result instanceof Integer count) {
			return (count >= 0) ? count.longValue() : null;
		}
		if (result instanceof Long count) {
			return (count >= 0) ? count : null;
		}
		long total = 0;
		boolean known = false;
		if (result instanceof int[] counts) {
			for (int count : counts) {
				if (count >= 0) {
					total += count;
					known = true;
				}
			}
		}
		else if (result instanceof long[] counts) {
			for (long count : counts) {
				if (count >= 0) {
					total += count;
					known = true;
				}
			}
		}
		return known ? total : null;
	}

	private static @Nullable Object parameters(ExecutionInfo execInfo, List<QueryInfo> queries) {
		List<List<String>> rows = new ArrayList<>();
		for (QueryInfo query : queries) {
			for (List<ParameterSetOperation> operations : query.getParametersList()) {
				rows.add(values(operations));
			}
		}
		if (rows.isEmpty()) {
			return null;
		}
		return execInfo.isBatch() ? rows : rows.get(0);
	}

	private static List<String> values(List<ParameterSetOperation> operations) {
		Map<Object, String> values = new LinkedHashMap<>();
		for (ParameterSetOperation operation : operations) {
			Object[] args = operation.getArgs();
			if (args == null || args.length == 0 || ParameterSetOperation.isRegisterOutParameterOperation(operation)) {
				continue;
			}
			String value = (ParameterSetOperation.isSetNullParameterOperation(operation) || args.length < 2) ? "null"
					: text(args[1]);
			values.put(args[0], value);
		}
		return new ArrayList<>(values.values());
	}

	private static String text(@Nullable Object value) {
		if (value == null) {
			return "null";
		}
		if (value instanceof byte[] || value instanceof java.io.InputStream || value instanceof java.io.Reader
				|| value instanceof java.sql.Blob || value instanceof java.sql.Clob) {
			return "<" + value.getClass().getSimpleName() + ">";
		}
		String text = String.valueOf(value);
		return (text.length() > MAX_PARAMETER_LENGTH) ? text.substring(0, MAX_PARAMETER_LENGTH) + "..." : text;
	}

	private static @Nullable SQLException sqlException(Throwable failure) {
		Throwable candidate = failure;
		for (int depth = 0; candidate != null && depth < 10; depth++) {
			if (candidate instanceof SQLException sqlException) {
				return sqlException;
			}
			candidate = candidate.getCause();
		}
		return null;
	}

	private static void ignore(Throwable ex) {
		if (ex instanceof VirtualMachineError error) {
			throw error;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Sentry could not record a JDBC call; the call itself is not affected", ex);
		}
	}

	/** The recorded call in flight on a thread, and how deep the wrapped DataSources are nested. */
	private static final class Call {

		int depth;

		int uncountedRows;

		@Nullable IScopes scopes;

		@Nullable ISpan span;

		void clear() {
			this.scopes = null;
			this.span = null;
		}

	}

}
