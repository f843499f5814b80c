package dev.sentryboot.autoconfigure.tracing.micrometer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.annotation.Observed;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.MDC;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A service traced by Micrometer Tracing with the OpenTelemetry bridge: it records what its
 * controller sees of the trace (the tracer's current span, the log correlation MDC), and keeps
 * the spans OpenTelemetry exports.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ MicrometerTracingTestApplication.OrdersController.class, MicrometerTracingTestApplication.PriceService.class })
class MicrometerTracingTestApplication {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).csrf((csrf) -> csrf.disable());
		return http.build();
	}

	/** What Tempo or Zipkin would receive. */
	@Bean
	ExportedSpans exportedSpans() {
		return new ExportedSpans();
	}

	@Bean
	Probe probe(Tracer tracer, ObservationRegistry observations, SdkTracerProvider tracerProvider,
			ExportedSpans exported) {
		return new Probe(tracer, observations, tracerProvider, exported);
	}

	/** The trace as the controller saw it, per request path. */
	@Bean
	SeenTraces seenTraces() {
		return new SeenTraces();
	}

	static final class ExportedSpans implements SpanExporter {

		private final List<SpanData> spans = new CopyOnWriteArrayList<>();

		@Override
		public CompletableResultCode export(java.util.Collection<SpanData> batch) {
			this.spans.addAll(batch);
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode flush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}

		List<SpanData> spans() {
			return List.copyOf(this.spans);
		}

		void clear() {
			this.spans.clear();
		}

	}

	/**
	 * What the tests read of Micrometer and OpenTelemetry, in plain strings: the test classes
	 * name no tracing type, so that the test runs without Micrometer Tracing can still list them.
	 */
	static final class Probe {

		private final Tracer tracer;

		private final ObservationRegistry observations;

		private final SdkTracerProvider tracerProvider;

		private final ExportedSpans exported;

		Probe(Tracer tracer, ObservationRegistry observations, SdkTracerProvider tracerProvider,
				ExportedSpans exported) {
			this.tracer = tracer;
			this.observations = observations;
			this.tracerProvider = tracerProvider;
			this.exported = exported;
		}

		void clear() {
			this.tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
			this.exported.clear();
		}

		/** Runs the work inside an observation; answers its trace id and span id. */
		List<String> insideObservation(String name, Runnable work) {
			List<String> ids = new CopyOnWriteArrayList<>();
			Observation.createNotStarted(name, this.observations).observe(() -> {
				Span span = this.tracer.currentSpan();
				ids.add(span.context().traceId());
				ids.add(span.context().spanId());
				work.run();
			});
			return ids;
		}

		/** Span ids of the exported spans of a trace of one kind (SERVER, CLIENT, INTERNAL). */
		List<String> spanIds(String traceId, String kind) {
			return exported(traceId).stream()
				.filter((span) -> span.getKind() == SpanKind.valueOf(kind))
				.map(SpanData::getSpanId)
				.toList();
		}

		/** An attribute of an exported span, or null. */
		String attribute(String traceId, String spanId, String key) {
			return exported(traceId).stream()
				.filter((span) -> span.getSpanId().equals(spanId))
				.map((span) -> span.getAttributes().get(AttributeKey.stringKey(key)))
				.findFirst()
				.orElse(null);
		}

		private List<SpanData> exported(String traceId) {
			this.tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
			return this.exported.spans().stream().filter((span) -> span.getTraceId().equals(traceId)).toList();
		}

	}

	record Seen(String traceId, String spanId, String mdcTraceId) {
	}

	static final class SeenTraces {

		private final Map<String, Seen> seen = new ConcurrentHashMap<>();

		void record(String key, Tracer tracer) {
			Span span = tracer.currentSpan();
			this.seen.put(key, new Seen(span.context().traceId(), span.context().spanId(),
					String.valueOf(MDC.get("traceId"))));
		}

		Seen get(String key) {
			return this.seen.get(key);
		}

	}

	@Service
	static class PriceService {

		@Observed(name = "orders.price", contextualName = "price order")
		int price(String id) {
			return id.length() * 10;
		}

	}

	@RestController
	static class OrdersController {

		private final Tracer tracer;

		private final ObservationRegistry observations;

		private final PriceService prices;

		private final SeenTraces seen;

		private final RestClient restClient;

		OrdersController(Tracer tracer, ObservationRegistry observations, PriceService prices, SeenTraces seen,
				RestClient.Builder restClient) {
			this.tracer = tracer;
			this.observations = observations;
			this.prices = prices;
			this.seen = seen;
			this.restClient = restClient.build();
		}

		@GetMapping("/api/orders/{id}/fail")
		String fail(@PathVariable String id) {
			this.seen.record("fail " + id, this.tracer);
			throw new IllegalStateException("order " + id + " failed");
		}

		/**
		 * An observed method, two observations of its own (one failing) and a call to itself;
		 * answers what the call answered.
		 */
		@GetMapping("/api/orders/{id}")
		String order(@PathVariable String id, @RequestParam String callee) {
			this.seen.record("order " + id, this.tracer);
			int price = this.prices.price(id);
			String called = Observation.createNotStarted("orders.reserve", this.observations)
				.contextualName("reserve order " + id)
				.lowCardinalityKeyValue("warehouse", "north")
				.observe(() -> this.restClient.get().uri(callee).retrieve().body(String.class));
			try {
				Observation.createNotStarted("orders.notify", this.observations).observe(() -> {
					throw new IllegalArgumentException("mail server down");
				});
			}
			catch (IllegalArgumentException ex) {
				// Handled: only the span says it failed.
			}
			return (price > 0) ? called : "free";
		}

		/** The trace headers this service received. */
		@GetMapping("/api/headers")
		Map<String, String> headers(HttpServletRequest request) {
			return Map.of("sentry-trace", String.valueOf(request.getHeader("sentry-trace")), "traceparent",
					String.valueOf(request.getHeader("traceparent")));
		}

	}

}
