package dev.sentryboot.autoconfigure.jdbc;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

import net.ttddyy.dsproxy.ConnectionInfo;
import net.ttddyy.dsproxy.DataSourceProxyException;
import net.ttddyy.dsproxy.proxy.ProxyConfig;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import net.ttddyy.dsproxy.proxy.jdk.CallableStatementInvocationHandler;
import net.ttddyy.dsproxy.proxy.jdk.ConnectionInvocationHandler;
import net.ttddyy.dsproxy.proxy.jdk.JdkJdbcProxyFactory;
import net.ttddyy.dsproxy.proxy.jdk.PreparedStatementInvocationHandler;
import net.ttddyy.dsproxy.proxy.jdk.StatementInvocationHandler;
import org.jspecify.annotations.Nullable;

/**
 * datasource-proxy's own JDK proxies and handlers, made with less work per JDBC object and call.
 * <ul>
 * <li>The proxy classes are looked up once: {@code Proxy.newProxyInstance} finds the class
 * again for every connection and statement (about 80 bytes and a map lookup each).</li>
 * <li>When parameter values can never be reported (include-parameters off), the setters of
 * prepared and callable statements go straight to the driver's statement. datasource-proxy
 * records every {@code setXxx} call (a method context, a stopwatch, a key, an operation and a map
 * entry, about 250 bytes) and offers no switch for it. Every other call, executions and batches
 * included, still runs through datasource-proxy's handlers, so queries, batch sizes, results and
 * errors reach the listener as before: only the recorded values, which nothing reads, are
 * gone.</li>
 * </ul>
 */
final class SentryJdbcProxyFactory extends JdkJdbcProxyFactory {

	private static final Constructor<?> connectionProxy = proxyConstructor(Connection.class);

	private static final Constructor<?> statementProxy = proxyConstructor(Statement.class);

	private static final Constructor<?> preparedStatementProxy = proxyConstructor(PreparedStatement.class);

	private static final Constructor<?> callableStatementProxy = proxyConstructor(CallableStatement.class);

	private final boolean recordParameters;

	SentryJdbcProxyFactory(boolean recordParameters) {
		this.recordParameters = recordParameters;
	}

	@Override
	public Connection createConnection(Connection connection, ConnectionInfo connectionInfo, ProxyConfig proxyConfig) {
		return (Connection) proxy(connectionProxy, new ConnectionInvocationHandler(connection, connectionInfo, proxyConfig));
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

	// The same proxy class datasource-proxy's JdkJdbcProxyFactory creates for the type.
	private static Constructor<?> proxyConstructor(Class<?> type) {
		try {
			return Proxy.newProxyInstance(ProxyJdbcObject.class.getClassLoader(),
					new Class<?>[] { ProxyJdbcObject.class, type }, (proxy, method, args) -> null)
				.getClass()
				.getConstructor(InvocationHandler.class);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException("No proxy class for " + type.getName(), ex);
		}
	}

	private static Object proxy(Constructor<?> constructor, InvocationHandler handler) {
		try {
			return constructor.newInstance(handler);
		}
		catch (ReflectiveOperationException ex) {
			throw new DataSourceProxyException("Could not create a JDBC proxy", ex);
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
