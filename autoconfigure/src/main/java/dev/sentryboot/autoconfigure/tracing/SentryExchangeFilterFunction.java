package dev.sentryboot.autoconfigure.tracing;

import java.util.concurrent.atomic.AtomicReference;

import io.sentry.ISpan;
import io.sentry.SpanStatus;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Traces the calls of a {@code WebClient}: a span per call and the trace headers. WebClient runs
 * its filters when the call is subscribed, so the span belongs to the scopes current on the
 * subscribing thread (the request thread when the application blocks on the result).
 */
public final class SentryExchangeFilterFunction implements ExchangeFilterFunction {

	private final HttpClientTracing tracing;

	public SentryExchangeFilterFunction(HttpClientTracing tracing) {
		this.tracing = tracing;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		AtomicReference<ISpan> span = new AtomicReference<>();
		ClientRequest traced = ClientRequest.from(request)
			.headers((headers) -> span.set(this.tracing.start(request.method().name(), request.url(), headers)))
			.build();
		ISpan started = span.get();
		if (started == null) {
			return next.exchange(traced);
		}
		return next.exchange(traced)
			.doOnNext((response) -> this.tracing.finish(started, response.statusCode().value()))
			.doOnError((failure) -> this.tracing.fail(started, failure))
			.doOnCancel(() -> started.finish(SpanStatus.CANCELLED));
	}

}
