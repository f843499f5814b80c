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
import dev.sentryboot.autoconfigure.tracing.SentryTracingAutoConfiguration;
import dev.sentryboot.autoconfigure.web.SentryRequestFilter;
import dev.sentryboot.autoconfigure.web.SentryWebAutoConfiguration;
import io.sentry.transport.NoOpTransport;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
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
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.FileSystemUtils;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletContext;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.HandlerMapping;

/**
 * What our request filter adds to a request that does not fail. The filter is the one
 * {@code SentryWebAutoConfiguration} registers in a servlet application context (with request
 * tracing from {@code SentryTracingAutoConfiguration}), so the benchmark follows the filter's
 * construction as it changes. Each operation builds a mock {@code GET /orders/42} with eight
 * headers and its response, and runs the filter with a chain that sets the route pattern as
 * Spring MVC would and the status.
 * <ul>
 * <li>{@code bare}: the chain alone (building the request and response included);</li>
 * <li>{@code sdkOff}: our filter, SDK not started (no DSN);</li>
 * <li>{@code noTracing}: SDK started, {@code sentry.enable-tracing=false};</li>
 * <li>{@code ignored}: tracing on, the request's path is an ignored one ({@code /actuator/health});</li>
 * <li>{@code unsampled}: tracing on, {@code sentry.traces-sample-rate=0.0}: the price every request
 * pays;</li>
 * <li>{@code sampled}: every request a transaction, named, finished and passed through the event
 * processors and the scrubber on the request thread.</li>
 * </ul>
 * Nothing leaves the process: the transport is a no-op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class RequestFilterBenchmark {

	private static final FilterChain CHAIN = (request, response) -> {
		request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/orders/{id}");
		((HttpServletResponse) response).setStatus(200);
	};

	@Param({ "bare", "sdkOff", "noTracing", "ignored", "unsampled", "sampled" })
	public String variant;

	private @Nullable AnnotationConfigWebApplicationContext context;

	private @Nullable Path cacheDir;

	private @Nullable Filter filter;

	private long order;

	private String path = "/orders/";

	@Setup(Level.Trial)
	public void startApplication() throws Exception {
		if (this.variant.equals("bare")) {
			return;
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		switch (this.variant) {
			case "sdkOff" -> {
			}
			case "noTracing", "ignored", "unsampled", "sampled" -> {
				properties.put("sentry.dsn", "http://public@127.0.0.1:9/1");
				// Our default disk cache is shared by the applications of a machine: keep out of it.
				this.cacheDir = Files.createTempDirectory("sentry-boot-benchmark");
				properties.put("sentry.cache-dir-path", this.cacheDir.toString());
				properties.put("sentry.enable-tracing", !this.variant.equals("noTracing"));
				properties.put("sentry.traces-sample-rate", this.variant.equals("sampled") ? 1.0 : 0.0);
			}
			default -> throw new IllegalArgumentException(this.variant);
		}
		this.path = this.variant.equals("ignored") ? "/actuator/health/" : "/orders/";
		AnnotationConfigWebApplicationContext context = new AnnotationConfigWebApplicationContext();
		context.setServletContext(new MockServletContext());
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("benchmark", properties));
		context.register(Application.class);
		context.refresh();
		this.context = context;
		this.filter = context.getBeansOfType(FilterRegistrationBean.class)
			.values()
			.stream()
			.map(FilterRegistrationBean::getFilter)
			.filter(SentryRequestFilter.class::isInstance)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("SentryWebAutoConfiguration registered no SentryRequestFilter"));
		boolean active = context.getBean(SentrySdk.class).isActive();
		if (active == this.variant.equals("sdkOff")) {
			throw new IllegalStateException("Variant " + this.variant + ": SDK active=" + active);
		}
		MockHttpServletResponse response = doFilter();
		if (response.getStatus() != 200) {
			throw new IllegalStateException("Variant " + this.variant + ": status " + response.getStatus());
		}
	}

	@TearDown(Level.Trial)
	public void stopApplication() throws IOException {
		if (this.context != null) {
			this.context.close();
		}
		if (this.cacheDir != null) {
			FileSystemUtils.deleteRecursively(this.cacheDir);
		}
	}

	@Benchmark
	public MockHttpServletResponse doFilter() throws ServletException, IOException {
		MockHttpServletRequest request = newRequest();
		MockHttpServletResponse response = new MockHttpServletResponse();
		if (this.filter == null) {
			CHAIN.doFilter(request, response);
		}
		else {
			this.filter.doFilter(request, response, CHAIN);
		}
		return response;
	}

	private MockHttpServletRequest newRequest() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", this.path + (++this.order % 1000));
		request.setServerName("orders.example.com");
		request.setServerPort(8080);
		request.setRemoteAddr("10.0.3.17");
		request.addHeader("Host", "orders.example.com:8080");
		request.addHeader("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
		request.addHeader("Accept", "application/json");
		request.addHeader("Accept-Encoding", "gzip, deflate, br");
		request.addHeader("Accept-Language", "en-GB,en;q=0.8");
		request.addHeader("Connection", "keep-alive");
		request.addHeader("X-Request-Id", "5f0c6a1e-2b7d-4e8a-9c41-0d2f3e4a5b6c");
		request.addHeader("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl");
		return request;
	}

	/**
	 * Core, scrubbing and web: what a servlet application with sentry-boot runs per request, without
	 * security (no user) or JDBC (no query).
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ SentryAutoConfiguration.class, SentryScrubAutoConfiguration.class,
			SentryWebAutoConfiguration.class, SentryTracingAutoConfiguration.class })
	static class Application {

		@Bean
		SentryOptionsCustomizer noNetwork() {
			return (options) -> options.setTransportFactory((o, details) -> NoOpTransport.getInstance());
		}

	}

}
