package dev.sentryboot.autoconfigure.jdbc;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.ttddyy.dsproxy.ConnectionInfo;
import net.ttddyy.dsproxy.DataSourceProxyException;
import net.ttddyy.dsproxy.StatementType;
import net.ttddyy.dsproxy.listener.MethodExecutionContext;
import net.ttddyy.dsproxy.listener.MethodExecutionListener;
import net.ttddyy.dsproxy.proxy.ConnectionProxyLogic;
import net.ttddyy.dsproxy.proxy.ProxyConfig;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import net.ttddyy.dsproxy.proxy.StatementMethodNames;
import net.ttddyy.dsproxy.proxy.StatementProxyLogic;
import net.ttddyy.dsproxy.proxy.jdk.JdkJdbcProxyFactory;
import org.jspecify.annotations.Nullable;

/**
 * datasource-proxy's own JDK proxies and handlers, made with less work per JDBC object and call.
 * <ul>
 * <li>The proxy classes are looked up once: {@code Proxy.newProxyInstance} finds the class
 * again for every connection and statement (about 80 bytes and a map lookup each); their
 * constructors are called through constant method handles.</li>
 * <li>Calls our listener would only be told about to ignore, that is every statement method and
 * every connection method but {@code commit} and {@code rollback}, skip datasource-proxy's
 * method-listener round (a method context with its map, a builder and a stopwatch, about 200
 * bytes per call) as long as our listener is the only method listener. datasource-proxy's own
 * connection and statement logic (query transformation, statement proxies, executions reported
 * to query listeners with their results, errors and batch sizes, generated keys) runs as before;
 * the methods it only passes on go to the driver at once ({@link StatementLogic}).</li>
 * <li>When parameter values can never be reported (include-parameters off) and our listener is
 * the only method listener, the setters of prepared and callable statements, and the
 * {@code addBatch()} that makes their values a batch row, go straight to the driver's statement. datasource-proxy records every {@code setXxx} call
 * (a key, an operation and a map entry) and copies them into each batch row (two maps and a
 * transformer pass per row) and offers no switch for it: only the recorded values, which
 * nothing reads, are gone. The rows are counted here and still make the batch size the query
 * listeners see.</li>
 * </ul>
 */
final class SentryJdbcProxyFactory extends JdkJdbcProxyFactory {

	private static final MethodHandle connectionProxy = proxyConstructor(Connection.class);

	private static final MethodHandle statementProxy = proxyConstructor(Statement.class);

	private static final MethodHandle preparedStatementProxy = proxyConstructor(PreparedStatement.class);

	private static final MethodHandle callableStatementProxy = proxyConstructor(CallableStatement.class);

	private static final @Nullable MethodHandle statementLogic = statementLogic();

	// datasource-proxy's own method names, in one look-up per call.
	private static final Map<String, Route> routes = routes();

	private final boolean recordParameters;

	SentryJdbcProxyFactory(boolean recordParameters) {
		this.recordParameters = recordParameters;
	}

	@Override
	public Connection createConnection(Connection connection, ConnectionInfo connectionInfo, ProxyConfig proxyConfig) {
		return (Connection) proxy(connectionProxy, new ConnectionLogic(connection, connectionInfo, proxyConfig));
	}

	@Override
	public Statement createStatement(Statement statement, ConnectionInfo connectionInfo, Connection proxyConnection,
			ProxyConfig proxyConfig) {
		return (Statement) proxy(statementProxy, logic(statement, StatementType.STATEMENT, null, false, connectionInfo,
				proxyConnection, proxyConfig));
	}

	@Override
	public PreparedStatement createPreparedStatement(PreparedStatement statement, String query,
			ConnectionInfo connectionInfo, Connection proxyConnection, ProxyConfig proxyConfig, boolean generateKey) {
		return (PreparedStatement) proxy(preparedStatementProxy, logic(statement, StatementType.PREPARED, query,
				generateKey, connectionInfo, proxyConnection, proxyConfig));
	}

	@Override
	public CallableStatement createCallableStatement(CallableStatement statement, String query,
			ConnectionInfo connectionInfo, Connection proxyConnection, ProxyConfig proxyConfig) {
		return (CallableStatement) proxy(callableStatementProxy, logic(statement, StatementType.CALLABLE, query, false,
				connectionInfo, proxyConnection, proxyConfig));
	}

	// datasource-proxy's statement logic, as its own invocation handlers build it.
	private StatementLogic logic(Statement statement, StatementType type, @Nullable String query, boolean generateKey,
			ConnectionInfo connectionInfo, Connection proxyConnection, ProxyConfig proxyConfig) {
		StatementProxyLogic logic = StatementProxyLogic.Builder.create()
			.statement(statement, type)
			.query(query)
			.connectionInfo(connectionInfo)
			.proxyConnection(proxyConnection)
			.proxyConfig(proxyConfig)
			.generateKey(generateKey)
			.build();
		// A plain statement has no parameters, and its batch rows are SQL texts the listener reports.
		boolean recordParameters = type == StatementType.STATEMENT || this.recordParameters;
		return new StatementLogic(logic, statement, proxyConfig, recordParameters);
	}

	// The same proxy class datasource-proxy's JdkJdbcProxyFactory creates for the type. Its
	// constructor as a constant method handle: called with invokeExact, the JIT inlines it, where
	// Constructor.newInstance also builds an argument array per call.
	private static MethodHandle proxyConstructor(Class<?> type) {
		try {
			Constructor<?> constructor = Proxy
				.newProxyInstance(ProxyJdbcObject.class.getClassLoader(), new Class<?>[] { ProxyJdbcObject.class, type },
						(proxy, method, args) -> null)
				.getClass()
				.getConstructor(InvocationHandler.class);
			return MethodHandles.publicLookup()
				.unreflectConstructor(constructor)
				.asType(MethodType.methodType(Object.class, InvocationHandler.class));
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("No proxy class for " + type.getName(), ex);
		}
	}

	private static Object proxy(MethodHandle constructor, InvocationHandler handler) {
		try {
			return (Object) constructor.invokeExact(handler);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new DataSourceProxyException("Could not create a JDBC proxy", ex);
		}
	}

	/**
	 * datasource-proxy's connection logic, and the proxy's handler as well (one object per
	 * connection rather than two). A method the listener would only be told about to ignore goes
	 * straight to the logic; its connection logic does not read the method context (only the
	 * DataSource logic does), and datasource-proxy's own handler would call the same logic.
	 */
	private static final class ConnectionLogic extends ConnectionProxyLogic implements InvocationHandler {

		private final ProxyConfig proxyConfig;

		ConnectionLogic(Connection connection, ConnectionInfo connectionInfo, ProxyConfig proxyConfig) {
			super(connection, connectionInfo, proxyConfig);
			this.proxyConfig = proxyConfig;
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			accessible(method);
			if (SentryQueryListener.recordsConnectionMethod(method.getName()) || !onlyOurMethodListener(this.proxyConfig)) {
				return super.invoke(proxy, method, args);
			}
			return performProxyLogic(proxy, method, args, null);
		}

	}

	/**
	 * datasource-proxy's statement logic behind the proxy of a statement, with less work while
	 * nobody but our listener is told about the calls. Our listener records executions, which
	 * datasource-proxy reports to query listeners; as a method listener it ignores every
	 * statement method. So, while it is the only method listener:
	 * <ul>
	 * <li>calls skip datasource-proxy's method-listener round (a method context with its map, a
	 * builder and a stopwatch) and go straight to its statement logic, which does not read the
	 * method context: query transformation, executions reported to query listeners, generated
	 * keys, all as before;</li>
	 * <li>methods that logic only passes on ({@code close}, {@code getUpdateCount},
	 * {@code setFetchSize}, ...) go to the driver's statement at once;</li>
	 * <li>without include-parameters, parameter setters go to the driver's statement, and so does
	 * {@code addBatch()} of a prepared or callable statement, counted here: datasource-proxy
	 * would copy each row's recorded values, which are none. The count reaches the listener as
	 * the batch size just before the batch runs ({@link SentryQueryListener#batchRowsNotCounted}).
	 * </li>
	 * </ul>
	 * With a method listener of someone else's, every call takes datasource-proxy's full path.
	 */
	private static final class StatementLogic implements InvocationHandler {

		private final StatementProxyLogic logic;

		private final Statement statement;

		private final ProxyConfig proxyConfig;

		// Parameter values are never read: setters and rows of a batch need not be recorded.
		private final boolean unrecordedParameters;

		// Rows of the current batch added to the driver's statement without datasource-proxy.
		private int uncountedRows;

		StatementLogic(StatementProxyLogic logic, Statement statement, ProxyConfig proxyConfig,
				boolean recordParameters) {
			this.logic = logic;
			this.statement = statement;
			this.proxyConfig = proxyConfig;
			this.unrecordedParameters = !recordParameters;
		}

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
			accessible(method);
			Route route = routes.getOrDefault(method.getName(), Route.DRIVER);
			if (route == Route.EXECUTE_BATCH) {
				// Whichever path the execution takes: the driver runs every row added.
				SentryQueryListener.batchRowsNotCounted(this.uncountedRows);
				this.uncountedRows = 0;
			}
			else if (route == Route.CLEAR_BATCH) {
				this.uncountedRows = 0;
			}
			MethodHandle logic = statementLogic;
			if (logic == null || !onlyOurMethodListener(this.proxyConfig)) {
				return this.logic.invoke(proxy, method, args);
			}
			if (route == Route.DRIVER || (this.unrecordedParameters && (route == Route.PARAMETER
					|| (route == Route.ADD_BATCH && (args == null || args.length == 0))))) {
				if (route == Route.ADD_BATCH) {
					// Counted before the call, as datasource-proxy records a row before it.
					this.uncountedRows++;
				}
				try {
					return method.invoke(this.statement, args);
				}
				catch (InvocationTargetException ex) {
					throw ex.getTargetException();
				}
			}
			return (Object) logic.invokeExact(this.logic, proxy, method, args, (@Nullable MethodExecutionContext) null);
		}

	}

	/** Where a statement method goes while our listener is the only method listener. */
	private enum Route {

		/** Passed on by datasource-proxy's statement logic untouched: straight to the driver. */
		DRIVER,

		/** A parameter setter: to the driver unless its value may be read. */
		PARAMETER,

		/** A row of a prepared statement's batch: as a setter (a plain statement's SQL is kept). */
		ADD_BATCH,

		/** Drops the rows counted so far, then datasource-proxy's statement logic. */
		CLEAR_BATCH,

		/** Hands the rows counted so far to the listener, then datasource-proxy's statement logic. */
		EXECUTE_BATCH,

		/** Executions, unwrap, ...: datasource-proxy's statement logic. */
		LOGIC

	}

	private static Map<String, Route> routes() {
		Map<String, Route> routes = new HashMap<>();
		for (String name : StatementMethodNames.METHODS_TO_INTERCEPT) {
			routes.put(name, StatementMethodNames.PARAMETER_METHODS.contains(name) ? Route.PARAMETER : Route.LOGIC);
		}
		routes.put("addBatch", Route.ADD_BATCH);
		routes.put("clearBatch", Route.CLEAR_BATCH);
		for (String name : StatementMethodNames.BATCH_EXEC_METHODS) {
			routes.put(name, Route.EXECUTE_BATCH);
		}
		return Map.copyOf(routes);
	}

	/**
	 * Marks a method our proxies were called with as accessible, once. It is a public method of
	 * a java.sql interface: the access check {@code Method.invoke} makes on every call always
	 * passes, yet where the JIT does not inline that call (datasource-proxy's shared
	 * {@code proceedExecution} is one such place) the check walks the stack to find the caller.
	 * The proxy classes hand their handlers the same Method objects every time.
	 */
	@SuppressWarnings("deprecation")
	private static void accessible(Method method) {
		if (!method.isAccessible()) {
			try {
				method.setAccessible(true);
			}
			catch (RuntimeException ex) {
				// Checked on every call then, as before.
			}
		}
	}

	// Whoever holds the ProxyDataSource can add a listener of their own: it then sees every call,
	// and every parameter value, as datasource-proxy promises.
	private static boolean onlyOurMethodListener(ProxyConfig proxyConfig) {
		List<MethodExecutionListener> listeners = proxyConfig.getMethodListener().getListeners();
		return listeners.size() == 1 && listeners.get(0) instanceof SentryQueryListener;
	}

	// datasource-proxy's statement logic without the method-listener round its handler runs
	// first. The method is protected (for subclasses), and the logic only comes from its builder:
	// reached through a private lookup, which works where datasource-proxy's package is open to
	// us (the class path, an automatic module). Elsewhere, null: every call takes the full path.
	private static @Nullable MethodHandle statementLogic() {
		try {
			return MethodHandles.privateLookupIn(StatementProxyLogic.class, MethodHandles.lookup())
				.findVirtual(StatementProxyLogic.class, "performProxyLogic", MethodType.methodType(Object.class,
						Object.class, Method.class, Object[].class, MethodExecutionContext.class));
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

}
