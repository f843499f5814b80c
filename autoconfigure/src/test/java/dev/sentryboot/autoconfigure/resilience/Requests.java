package dev.sentryboot.autoconfigure.resilience;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fires failing requests at the application, all at once, and returns their status codes.
 */
final class Requests {

	private Requests() {
	}

	/**
	 * {@code count} requests to {@code /fail?id=<prefix><n>} from as many threads, released
	 * together. Each request gives up after {@code timeout}, far longer than its own work and far
	 * shorter than a delivery to Sentry would take if it happened on the request thread.
	 */
	static List<Integer> failConcurrently(int port, String prefix, int count, Duration timeout) throws Exception {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		ExecutorService pool = Executors.newFixedThreadPool(count);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Integer>> results = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				HttpRequest request = HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + port + "/fail?id=" + prefix + i))
					.timeout(timeout)
					.build();
				results.add(pool.submit(() -> {
					start.await();
					return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
				}));
			}
			start.countDown();
			List<Integer> statuses = new ArrayList<>();
			for (Future<Integer> result : results) {
				statuses.add(result.get());
			}
			return statuses;
		}
		finally {
			pool.shutdownNow();
		}
	}

}
