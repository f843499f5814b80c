package dev.sentryboot.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentryOptionsCustomizer;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.scrub.SentryScrubAutoConfiguration;
import io.sentry.Breadcrumb;
import io.sentry.Hint;
import io.sentry.IScopes;
import io.sentry.Sentry;
import io.sentry.SentryEnvelope;
import io.sentry.protocol.SentryId;
import io.sentry.transport.ITransport;
import io.sentry.transport.RateLimiter;
import org.jspecify.annotations.Nullable;
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

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * What {@code captureException} costs the thread that calls it (a request thread, in a web
 * application): event processors, the before-send chain and the envelope built for the transport.
 * Sending happens on the SDK's own thread and is not measured: both variants use a transport that
 * only counts envelopes.
 * <ul>
 * <li>{@code sdkDefaults}: the baseline, {@code Sentry.init} with the SDK's default options and a
 * DSN;</li>
 * <li>{@code sentryBoot}: the SDK as our auto-configuration sets it up (core and scrubbing: ignore
 * rules, the before-send chain, the scrubber last), the transport swapped by a
 * {@link SentryOptionsCustomizer}.</li>
 * </ul>
 * Each operation captures a new exception (the SDK drops an exception instance it has already
 * seen) from request-like forked scopes holding an HTTP breadcrumb, five query breadcrumbs and a
 * tag. The exception and its cause carry a copy of one 45-frame stack of a Spring MVC request.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class CaptureBenchmark {

	/** Never contacted: the transport below replaces the network. */
	private static final String DSN = "http://public@127.0.0.1:9/1";

	private static final StackTraceElement[] STACK = springMvcStack();

	@Param({ "sdkDefaults", "sentryBoot" })
	public String variant;

	private final CountingTransport transport = new CountingTransport();

	private @Nullable AnnotationConfigApplicationContext context;

	private @Nullable Path cacheDir;

	private IScopes scopes;

	private long order;

	@Setup(Level.Trial)
	public void startSdk() throws IOException {
		IScopes root = switch (this.variant) {
			case "sdkDefaults" -> {
				Sentry.init((options) -> {
					options.setDsn(DSN);
					options.setTransportFactory((o, details) -> this.transport);
				});
				yield Sentry.getCurrentScopes();
			}
			case "sentryBoot" -> {
				Map<String, Object> properties = new LinkedHashMap<>();
				properties.put("sentry.dsn", DSN);
				// Our default disk cache is shared by the applications of a machine: keep out of it.
				this.cacheDir = Files.createTempDirectory("sentry-boot-benchmark");
				properties.put("sentry.cache-dir-path", this.cacheDir.toString());
				this.context = new AnnotationConfigApplicationContext();
				this.context.getEnvironment()
					.getPropertySources()
					.addFirst(new MapPropertySource("benchmark", properties));
				this.context.registerBean("countingTransport", SentryOptionsCustomizer.class,
						() -> (options) -> options.setTransportFactory((o, details) -> this.transport));
				this.context.register(Application.class);
				this.context.refresh();
				yield this.context.getBean(SentrySdk.class).getScopes();
			}
			default -> throw new IllegalArgumentException(this.variant);
		};
		this.scopes = root.forkedScopes("benchmark");
		this.scopes.addBreadcrumb(Breadcrumb.http("http://localhost:8080/orders/42/checkout", "GET"));
		for (int i = 0; i < 5; i++) {
			Breadcrumb query = new Breadcrumb();
			query.setType("query");
			query.setCategory("db.sql.query");
			query.setMessage("select id, customer, item, amount_cents from orders where id = ?");
			query.setData("duration_ms", 1);
			this.scopes.addBreadcrumb(query);
		}
		this.scopes.setTag("region", "eu-west-1");
		long before = this.transport.envelopes;
		captureException();
		if (this.transport.envelopes != before + 1) {
			throw new IllegalStateException("Variant " + this.variant + ": the event did not reach the transport");
		}
	}

	@TearDown(Level.Trial)
	public void stopSdk() throws IOException {
		if (this.context != null) {
			this.context.close();
		}
		else {
			Sentry.close();
		}
		if (this.cacheDir != null) {
			FileSystemUtils.deleteRecursively(this.cacheDir);
		}
	}

	@Benchmark
	public SentryId captureException() {
		return this.scopes.captureException(newException());
	}

	private Exception newException() {
		long id = ++this.order;
		BenchmarkException cause = new BenchmarkException("Read timed out calling the payment provider", null);
		return new BenchmarkException("Payment provider refused order " + id, cause);
	}

	private static StackTraceElement[] springMvcStack() {
		String[] frames = { "com.example.orders.PaymentClient#charge", "com.example.orders.CheckoutService#checkout",
				"com.example.orders.OrderController#checkout", "jdk.internal.reflect.GeneratedMethodAccessor9#invoke",
				"java.lang.reflect.Method#invoke",
				"org.springframework.web.method.support.InvocableHandlerMethod#doInvoke",
				"org.springframework.web.method.support.InvocableHandlerMethod#invokeForRequest",
				"org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod#invokeAndHandle",
				"org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter#invokeHandlerMethod",
				"org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter#handleInternal",
				"org.springframework.web.servlet.mvc.method.AbstractHandlerMethodAdapter#handle",
				"org.springframework.web.servlet.DispatcherServlet#doDispatch",
				"org.springframework.web.servlet.DispatcherServlet#doService",
				"org.springframework.web.servlet.FrameworkServlet#processRequest",
				"org.springframework.web.servlet.FrameworkServlet#doGet", "jakarta.servlet.http.HttpServlet#service",
				"org.springframework.web.servlet.FrameworkServlet#service", "jakarta.servlet.http.HttpServlet#service",
				"org.apache.catalina.core.ApplicationFilterChain#doFilter",
				"org.apache.tomcat.websocket.server.WsFilter#doFilter",
				"org.apache.catalina.core.ApplicationFilterChain#doFilter",
				"org.springframework.web.filter.RequestContextFilter#doFilterInternal",
				"org.springframework.web.filter.OncePerRequestFilter#doFilter",
				"org.apache.catalina.core.ApplicationFilterChain#doFilter",
				"org.springframework.web.filter.FormContentFilter#doFilterInternal",
				"org.springframework.web.filter.OncePerRequestFilter#doFilter",
				"org.apache.catalina.core.ApplicationFilterChain#doFilter",
				"dev.sentryboot.autoconfigure.web.SentryRequestFilter#doFilterInternal",
				"org.springframework.web.filter.OncePerRequestFilter#doFilter",
				"org.apache.catalina.core.ApplicationFilterChain#doFilter",
				"org.springframework.web.filter.CharacterEncodingFilter#doFilterInternal",
				"org.springframework.web.filter.OncePerRequestFilter#doFilter",
				"org.apache.catalina.core.ApplicationFilterChain#doFilter",
				"org.apache.catalina.core.StandardWrapperValve#invoke",
				"org.apache.catalina.core.StandardContextValve#invoke",
				"org.apache.catalina.authenticator.AuthenticatorBase#invoke",
				"org.apache.catalina.core.StandardHostValve#invoke",
				"org.apache.catalina.valves.ErrorReportValve#invoke",
				"org.apache.catalina.core.StandardEngineValve#invoke",
				"org.apache.catalina.connector.CoyoteAdapter#service",
				"org.apache.coyote.http11.Http11Processor#service",
				"org.apache.coyote.AbstractProcessorLight#process",
				"org.apache.coyote.AbstractProtocol$ConnectionHandler#process",
				"org.apache.tomcat.util.net.NioEndpoint$SocketProcessor#doRun", "java.lang.Thread#run" };
		StackTraceElement[] stack = new StackTraceElement[frames.length];
		for (int i = 0; i < frames.length; i++) {
			String type = frames[i].substring(0, frames[i].indexOf('#'));
			String method = frames[i].substring(frames[i].indexOf('#') + 1);
			String file = type.substring(type.lastIndexOf('.') + 1).replaceAll("\\$.*", "") + ".java";
			stack[i] = new StackTraceElement(type, method, file, 40 + 17 * i);
		}
		return stack;
	}

	/** A realistic stack without the cost of walking the benchmark's own one. */
	static final class BenchmarkException extends RuntimeException {

		BenchmarkException(String message, @Nullable Throwable cause) {
			super(message, cause, false, true);
			setStackTrace(STACK);
		}

	}

	/**
	 * Counts envelopes and drops them. Envelope items are serialized lazily, when a transport
	 * writes them (on the SDK's sender thread), so nothing is serialized here.
	 */
	static final class CountingTransport implements ITransport {

		/** Only the benchmark thread captures, and the client calls the transport on that thread. */
		long envelopes;

		@Override
		public void send(SentryEnvelope envelope, Hint hint) {
			this.envelopes++;
		}

		@Override
		public void flush(long timeoutMillis) {
		}

		@Override
		public @Nullable RateLimiter getRateLimiter() {
			return null;
		}

		@Override
		public void close(boolean isRestarting) {
		}

		@Override
		public void close() {
		}

	}

	/** Core and scrubbing: what runs for an exception outside a web request. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ SentryAutoConfiguration.class, SentryScrubAutoConfiguration.class })
	static class Application {

	}

}
