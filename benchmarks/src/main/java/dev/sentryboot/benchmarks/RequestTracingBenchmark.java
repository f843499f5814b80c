package dev.sentryboot.benchmarks;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentryProperties;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.local.SentryLocalStoreAutoConfiguration;
import dev.sentryboot.autoconfigure.scrub.SentryScrubAutoConfiguration;
import dev.sentryboot.autoconfigure.tracing.SentryRequestTraceStarter;
import dev.sentryboot.autoconfigure.tracing.SentryRequestTracing;
import dev.sentryboot.autoconfigure.web.SentryRequestFilter;
import io.sentry.SentryOptions.BeforeSendTransactionCallback;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
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
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Cost per web request of {@link SentryRequestFilter} (SDK started, local event store, nothing on
 * the network), over servlet mocks and a chain that only marks the route as Spring MVC would:
 * <ul>
 * <li>{@code noTracing}: the filter without tracing: scopes forked per request;</li>
 * <li>{@code ignored}: tracing on, the path is an ignored one ({@code /actuator/health});</li>
 * <li>{@code unsampled}: tracing on, {@code traces-sample-rate} 0: the trace is continued (an
 * incoming {@code sentry-trace} header) and the sampling decision taken, nothing else;</li>
 * <li>{@code sampled}: every request a transaction, named and finished, through the event
 * processors; a before-send callback then drops it, so the figure leaves out scrubbing and
 * sending.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RequestTracingBenchmark {

	@Param({ "noTracing", "ignored", "unsampled", "sampled" })
	public String variant;

	private AnnotationConfigApplicationContext context;

	private SentryRequestFilter filter;

	private String path;

	private static final FilterChain ROUTED = (request, response) -> {
		request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/api/orders/{id}");
		((MockHttpServletResponse) response).setStatus(200);
	};

	@Setup(Level.Trial)
	public void startApplication() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("sentry.local.enabled", true);
		properties.put("sentry.traces-sample-rate", "sampled".equals(this.variant) ? 1.0 : 0.0);
		this.context = new AnnotationConfigApplicationContext();
		this.context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("benchmark", properties));
		this.context.registerBean("dropTransactions", BeforeSendTransactionCallback.class,
				() -> (transaction, hint) -> null);
		this.context.register(Application.class);
		this.context.refresh();
		SentrySdk sdk = this.context.getBean(SentrySdk.class);
		if (!sdk.isActive()) {
			throw new IllegalStateException("The SDK did not start");
		}
		SentryProperties sentry = this.context.getBean(SentryProperties.class);
		SentryRequestTracing tracing = "noTracing".equals(this.variant) ? null
				: new SentryRequestTracing(new SentryRequestTraceStarter(), sentry.getTracing().getIgnoredPaths());
		this.filter = new SentryRequestFilter(sdk, true, false, List.of(), tracing);
		this.path = "ignored".equals(this.variant) ? "/actuator/health" : "/api/orders/42";
	}

	@TearDown(Level.Trial)
	public void stopApplication() {
		this.context.close();
	}

	@Benchmark
	public MockHttpServletResponse request() throws ServletException, IOException {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", this.path);
		request.addHeader("sentry-trace", "771a43a4192642f0b136d5159a501700-b0e6f15b45c36b12");
		request.addHeader("Accept", "application/json");
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, ROUTED);
		return response;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ SentryAutoConfiguration.class, SentryScrubAutoConfiguration.class,
			SentryLocalStoreAutoConfiguration.class })
	static class Application {

	}

}
