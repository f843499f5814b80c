package dev.sentryboot.autoconfigure.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.time.Duration;

/**
 * Real HTTP GETs to the application under test on {@code 127.0.0.1}. A request that gets no
 * answer fails the test after {@link #TIMEOUT} instead of hanging the build.
 */
public final class TestHttp {

	/** How long a request may take unless the test says otherwise. */
	public static final Duration TIMEOUT = Duration.ofSeconds(20);

	// One client for the test JVM: a client per request would start a selector thread per request.
	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final int port;

	public TestHttp(int port) {
		this.port = port;
	}

	/**
	 * Status of a GET of {@code path}; the body is discarded.
	 * @param headers names and values, alternating
	 */
	public int status(String path, String... headers) {
		return send(path, TIMEOUT, headers, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	/**
	 * Status of a GET of {@code path} that must answer within {@code timeout}; a later answer ends
	 * in an {@link UncheckedIOException} caused by an {@link java.net.http.HttpTimeoutException}.
	 */
	public int status(String path, Duration timeout) {
		return send(path, timeout, new String[0], HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	/**
	 * A GET of {@code path} with its body as a string.
	 * @param headers names and values, alternating
	 */
	public HttpResponse<String> get(String path, String... headers) {
		return send(path, TIMEOUT, headers, HttpResponse.BodyHandlers.ofString());
	}

	private <T> HttpResponse<T> send(String path, Duration timeout, String[] headers, BodyHandler<T> body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(timeout);
		if (headers.length > 0) {
			request.headers(headers);
		}
		try {
			return client.send(request.build(), body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
