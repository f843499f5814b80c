package dev.sentryboot.autoconfigure.tracing.micrometer;

import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.task.TaskTraceParent;
import dev.sentryboot.autoconfigure.tracing.RequestTraceStarter;
import dev.sentryboot.autoconfigure.tracing.SentryRequestTraceStarter;
import dev.sentryboot.autoconfigure.tracing.SentryTracingAutoConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.sentry.NoOpScopes;
import io.sentry.SentryOptions;
import net.ttddyy.observation.tracing.QueryContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.scheduling.support.ScheduledTaskObservationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bridge's beans. No tracing type appears in a method signature here: the test runs without
 * Micrometer Tracing list this class before leaving it out by its tag.
 */
@Tag("micrometer-tracing")
class SentryMicrometerTracingAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SentryAutoConfiguration.class,
				SentryMicrometerTracingAutoConfiguration.class, SentryTracingAutoConfiguration.class));

	@Test
	void withATracerRequestsStartInMicrometersTrace() {
		this.runner.withUserConfiguration(NoopTracerConfiguration.class).run((context) -> {
			assertThat(context).getBean(RequestTraceStarter.class).isInstanceOf(MicrometerRequestTraceStarter.class);
			assertThat(context).hasSingleBean(MicrometerTraceEventProcessor.class)
				.hasSingleBean(SentryObservationHandler.class)
				.hasSingleBean(MicrometerTaskTraceParent.class);
		});
	}

	@Test
	void withoutATracerNothingChanges() {
		this.runner.run((context) -> {
			assertThat(context).getBean(RequestTraceStarter.class).isInstanceOf(SentryRequestTraceStarter.class);
			assertThat(context).doesNotHaveBean(MicrometerTraceEventProcessor.class)
				.doesNotHaveBean(SentryObservationHandler.class)
				.doesNotHaveBean(TaskTraceParent.class);
		});
	}

	@Test
	void backsOffWhenUserDefinesRequestTraceStarter() {
		RequestTraceStarter own = (request, scopes) -> null;
		this.runner.withUserConfiguration(NoopTracerConfiguration.class)
			.withBean(RequestTraceStarter.class, () -> own)
			.run((context) -> assertThat(context).getBean(RequestTraceStarter.class).isSameAs(own));
	}

	@Test
	void theNoopTracerLeavesTraceparentToSentry() {
		this.runner.withUserConfiguration(NoopTracerConfiguration.class).run((context) -> {
			SentryOptions options = new SentryOptions();
			options.setPropagateTraceparent(true);
			context.getBean("sentryMicrometerTraceparentCustomizer", dev.sentryboot.autoconfigure.SentryOptionsCustomizer.class)
				.customize(options);
			assertThat(options.isPropagateTraceparent()).isTrue();
		});
	}

	@Test
	void withTheNoopTracerTheRequestIsTracedAsWithoutMicrometer() {
		AtomicReference<Object> seen = new AtomicReference<>();
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/orders/1");
		request.addHeader("sentry-trace", "771a43a4192642f0b136d5159a501700-b0e6f15b45c36b12-1");
		new MicrometerRequestTraceStarter(Tracer.NOOP, (req, scopes) -> {
			seen.set(req);
			return null;
		}).start(request, NoOpScopes.getInstance());
		assertThat(seen.get()).isSameAs(request);
	}

	@Test
	void scheduledRunsWithoutAMicrometerSpanStartATraceOfTheirOwn() {
		MicrometerTaskTraceParent traceParent = new MicrometerTaskTraceParent();
		ScheduledTaskObservationContext untraced = new ScheduledTaskObservationContext(this, getClass().getMethods()[0]);
		assertThat(traceParent.sentryTrace(untraced)).isNull();
		ScheduledTaskObservationContext noop = new ScheduledTaskObservationContext(this, getClass().getMethods()[0]);
		TracingObservationHandler.TracingContext tracing = new TracingObservationHandler.TracingContext();
		tracing.setSpan(Tracer.NOOP.nextSpan());
		noop.put(TracingObservationHandler.TracingContext.class, tracing);
		assertThat(traceParent.sentryTrace(noop)).isNull();
	}

	@Test
	void leavesOutWhatSentryRecordsByOtherMeans() {
		SentryObservationHandler handler = new SentryObservationHandler(() -> null, true);
		assertThat(handler.supportsContext(new Observation.Context())).isTrue();
		assertThat(handler.supportsContext(
				new ServerRequestObservationContext(new MockHttpServletRequest(), new MockHttpServletResponse())))
			.isFalse();
		assertThat(handler.supportsContext(
				new ClientRequestObservationContext(new MockClientHttpRequest(HttpMethod.GET, URI.create("/")))))
			.isFalse();
		assertThat(handler.supportsContext(new ScheduledTaskObservationContext(this, getClass().getMethods()[0])))
			.isFalse();
		assertThat(handler.supportsContext(new QueryContext())).isFalse();
	}

	@Test
	void recordsJdbcObservationsWhenSentryDoesNotRecordJdbc() {
		assertThat(new SentryObservationHandler(() -> null, false).supportsContext(new QueryContext())).isTrue();
	}

}
