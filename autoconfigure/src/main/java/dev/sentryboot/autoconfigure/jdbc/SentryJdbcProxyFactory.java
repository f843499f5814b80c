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
import java.util.List;

import net.ttddyy.dsproxy.ConnectionInfo;
import net.ttddyy.dsproxy.DataSourceProxyException;
import net.ttddyy.dsproxy.listener.MethodExecutionListener;
import net.ttddyy.dsproxy.proxy.ConnectionProxyLogic;
import net.ttddyy.dsproxy.proxy.ProxyConfig;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import net.ttddyy.dsproxy.proxy.jdk.CallableStatementInvocationHandler;
import net.ttddyy.dsproxy.proxy.jdk.JdkJdbcProxyFactory;
import net.ttddyy.dsproxy.proxy.jdk.PreparedStatementInvocationHandler;
import net.ttddyy.dsproxy.proxy.jdk.StatementInvocationHandler;
import org.jspecify.annotations.Nullable;

/**
 * datasource-proxy's own JDK proxies and handlers, made with less work per JDBC object and call.
 * <ul>
 * <li>The proxy classes are looked up once: {@code Proxy.newProxyInstance} finds the class
 * again for every connection and statement (about 80 bytes and a map lookup each); their
 * constructors are called through constant method handles.</li>
 * <li>When parameter values can never be reported (include-parameters off), the setters of
 * prepared and callable statements go straight to the driver's statement. datasource-proxy
 * records every {@code setXxx} call (a method context, a stopwatch, a key, an operation and a map
 * entry, about 250 bytes) and offers no switch for it. Every other call, executions and batches
 * included, still runs through datasource-proxy's handlers, so queries, batch sizes, results and
 * errors reach the listener as before: only the recorded values, which nothing reads, are
 * gone.</li>
 * <li>Connection methods our listener does not record ({@code prepareStatement}, {@code close},
 * ...: all but {@code commit} and {@code rollback}) skip datasource-proxy's method-listener
 * round (a method context with its map, a builder and a stopwatch, about 200 bytes per call),
 * as long as our listener is the only method listener. datasource-proxy's connection logic
 * itself (query transformation, statement proxies) runs as before.</li>
 * </ul>
 */
final class SentryJdbcProxyFactory extends JdkJdbcProxyFactory {

	private static final MethodHandle connectionProxy = proxyConstructor(Connection.class);

	private static final MethodHandle statementProxy = proxyConstructor(Statement.class);

	private static final MethodHandle preparedStatementProxy = proxyConstructor(PreparedStatement.class);

	private static final MethodHandle callableStatementProxy = proxyConstructor(CallableStatement.class);

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
		return (Statement) proxy(statementProxy,
				new StatementInvocationHandler(statement, connectionInfo, proxyConnection, proxyConfig));
	}

	@Override
	public PreparedStatement createPreparedStatement(PreparedStatement statement, String query,
			ConnectionInfo connectionInfo, Connection proxyConnection, ProxyConfig proxyConfig, boolean generateKey) {
		InvocationHandler handler = new PreparedStatementInvocationHandler(statement, query, connectionInfo,
				proxyConnection, proxyConfig, generateKey);
		return (PreparedStatement) proxy(preparedStatementProxy, parameters(statement, handler));
	}

	@Override
	public CallableStatement createCallableStatement(CallableStatement statement, String query,
			ConnectionInfo connectionInfo, Connection proxyConnection, ProxyConfig proxyConfig) {
		InvocationHandler handler = new CallableStatementInvocationHandler(statement, query, connectionInfo,
				proxyConnection, proxyConfig);
		return (CallableStatement) proxy(callableStatementProxy, parameters(statement, handler));
	}

	private InvocationHandler parameters(Statement statement, InvocationHandler handler) {
		return this.recordParameters ? handler : new SettersToDriver(statement, handler);
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
			if (SentryQueryListener.recordsConnectionMethod(method.getName()) || !onlyOurListener()) {
				return super.invoke(proxy, method, args);
			}
			return performProxyLogic(proxy, method, args, null);
		}

		// Whoever holds the ProxyDataSource can add a method listener of their own: it then sees
		// every call, as datasource-proxy promises.
		private boolean onlyOurListener() {
			List<MethodExecutionListener> listeners = this.proxyConfig.getMethodListener().getListeners();
			return listeners.size() == 1 && listeners.get(0) instanceof SentryQueryListener;
		}

	}

	/**
	 * Sends parameter setters ({@code setXxx}, {@code clearParameters},
	 * {@code registerOutParameter}) to the statement, everything else to datasource-proxy. The
	 * other {@code set} methods of a statement (fetch size, timeout, ...) are ones datasource-proxy
	 * passes through untouched anyway, and our listener only looks at DataSource and Connection
	 * methods.
	 */
	private record SettersToDriver(Statement statement, InvocationHandler proxyLogic) implements InvocationHandler {

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
			if (!isParameterSetter(method.getName())) {
				return this.proxyLogic.invoke(proxy, method, args);
			}
			try {
				return method.invoke(this.statement, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getTargetException();
			}
		}

		private static boolean isParameterSetter(String name) {
			return name.startsWith("set") || name.equals("clearParameters") || name.equals("registerOutParameter");
		}

	}

}
