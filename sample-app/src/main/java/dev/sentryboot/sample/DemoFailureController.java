package dev.sentryboot.sample;

import java.util.Map;

import io.sentry.Sentry;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Endpoints that fail the way real code does: nothing here catches, logs or reports the
 * exception; the starter sees it leave the controller and reports it.
 */
@RestController
class DemoFailureController {

	/** A plain bug: the exception reaches the servlet container and becomes a 500. */
	@GetMapping("/sentry-test")
	Map<String, Integer> sentryTest() {
		int itemsPerPage = 0;
		return Map.of("pages", 120 / itemsPerPage);
	}

	/**
	 * Code that adds its own context through the Sentry static API before failing. The starter
	 * forks the scope per request, so the tag and context stay on this request's events.
	 */
	@GetMapping("/api/fail")
	Map<String, String> fail() {
		Sentry.configureScope((scope) -> {
			scope.setTag("feature", "checkout");
			scope.setContexts("order", Map.of("id", 42, "total", "99.90"));
		});
		throw new IllegalStateException("Payment provider returned status PENDING for a captured payment");
	}

	/**
	 * Work handed to a background thread that nobody watches: the request succeeds, the thread
	 * dies with an uncaught exception, and the starter reports it
	 * ({@code sentry.capture-unhandled-errors}).
	 */
	@PostMapping("/api/reports/nightly")
	ResponseEntity<Void> nightlyReport() {
		Thread worker = new Thread(() -> {
			throw new IllegalStateException("Nightly report failed: no exchange rate for CHF");
		}, "nightly-report");
		worker.start();
		return ResponseEntity.accepted().build();
	}

}
