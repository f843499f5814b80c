package dev.sentryboot.autoconfigure.tracing;

import java.io.IOException;

import io.sentry.ISpan;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Traces the calls of a {@code RestClient} or {@code RestTemplate}: a span per call and the
 * trace headers.
 */
public final class SentryClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {

	private final HttpClientTracing tracing;

	public SentryClientHttpRequestInterceptor(HttpClientTracing tracing) {
		this.tracing = tracing;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		ISpan span = this.tracing.start(request.getMethod().name(), request.getURI(), request.getHeaders());
		if (span == null) {
			return execution.execute(request, body);
		}
		ClientHttpResponse response;
		try {
			response = execution.execute(request, body);
		}
		catch (IOException | RuntimeException | Error ex) {
			this.tracing.fail(span, ex);
			throw ex;
		}
		this.tracing.finish(span, statusOf(response));
		return response;
	}

	private static int statusOf(ClientHttpResponse response) {
		try {
			return response.getStatusCode().value();
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

}
