package dev.sentryboot.autoconfigure.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;

import net.ttddyy.dsproxy.ConnectionInfo;
import net.ttddyy.dsproxy.proxy.ProxyConfig;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import net.ttddyy.dsproxy.proxy.jdk.CallableStatementInvocationHandler;
import net.ttddyy.dsproxy.proxy.jdk.JdkJdbcProxyFactory;
import net.ttddyy.dsproxy.proxy.jdk.PreparedStatementInvocationHandler;
import org.jspecify.annotations.Nullable;

/**
 * datasource-proxy's JDK proxies, for a DataSource whose parameter values are never reported
 * (include-parameters off). datasource-proxy records every {@code setXxx} call of a prepared
 * statement (a method context, a stopwatch, a key, an operation and a map entry, about 250 bytes)
 * and offers no switch for it; here the setters of prepared and callable statements go straight
 * to the driver's statement. Every other call, executions and batches included, still runs
 * through datasource-proxy's own handlers, so queries, batch sizes, results and errors reach the
 * listener as before: only the recorded values, which nothing reads, are gone.
 */
final class UnrecordedParametersProxyFactory extends JdkJdbcProxyFactory {

	@Override
	public PreparedStatement createPreparedStatement(PreparedStatement statement, String query,
			ConnectionInfo connectionInfo, Connection proxyConnection, ProxyConfig proxyConfig, boolean generateKey) {
		InvocationHandler proxyLogic = new PreparedStatementInvocationHandler(statement, query, connectionInfo,
				proxyConnection, proxyConfig, generateKey);
		return (PreparedStatement) Proxy.newProxyInstance(ProxyJdbcObject.class.getClassLoader(),
				new Class<?>[] { ProxyJdbcObject.class, PreparedStatement.class },
				new SettersToDriver(statement, proxyLogic));
	}

	@Override
	public CallableStatement createCallableStatement(CallableStatement statement, String query,
			ConnectionInfo connectionInfo, Connection proxyConnection, ProxyConfig proxyConfig) {
		InvocationHandler proxyLogic = new CallableStatementInvocationHandler(statement, query, connectionInfo,
				proxyConnection, proxyConfig);
		return (CallableStatement) Proxy.newProxyInstance(ProxyJdbcObject.class.getClassLoader(),
				new Class<?>[] { ProxyJdbcObject.class, CallableStatement.class },
				new SettersToDriver(statement, proxyLogic));
	}

	/**
	 * Sends parameter setters ({@code setXxx}, {@code clearParameters},
	 * {@code registerOutParameter}) to the statement, everything else to datasource-proxy. The
	 * other {@code set} methods of a statement (fetch size, timeout, ...) are ones datasource-proxy
	 * passes through untouched anyway, and our listener only looks at DataSource and Connection
	 * methods.
	 */
	private record SettersToDriver(Object statement, InvocationHandler proxyLogic) implements InvocationHandler {

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
