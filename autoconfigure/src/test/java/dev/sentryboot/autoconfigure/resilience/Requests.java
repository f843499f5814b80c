package dev.sentryboot.autoconfigure.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.sentryboot.autoconfigure.testsupport.TestHttp;

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
		TestHttp http = new TestHttp(port);
		ExecutorService pool = Executors.newFixedThreadPool(count);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Integer>> results = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				String path = "/fail?id=" + prefix + i;
				results.add(pool.submit(() -> {
					start.await();
					return http.status(path, timeout);
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
