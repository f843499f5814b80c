package dev.sentryboot.test.app;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.sentryboot.autoconfigure.SentrySdk;
import io.sentry.ISentryLifecycleToken;
import io.sentry.Sentry;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
class ShopController {

	private final JdbcTemplate jdbc;

	private final SentrySdk sentry;

	ShopController(JdbcTemplate jdbc, SentrySdk sentry) {
		this.jdbc = jdbc;
		this.sentry = sentry;
	}

	/** Tags the request's scope, runs a query, then fails: the handler below answers 500. */
	@GetMapping("/api/fail")
	Map<String, String> fail() {
		Sentry.setTag("endpoint", "/api/fail");
		String customer = this.jdbc.queryForObject("SELECT name FROM customers WHERE id = ?", String.class, 1);
		throw new IllegalStateException("Checkout failed for " + customer,
				new IllegalArgumentException("no price for product 7"));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> checkoutFailed(IllegalStateException ex) {
		return ResponseEntity.internalServerError()
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "Checkout failed"));
	}

	/** A plain bug: the exception reaches the container. */
	@GetMapping("/api/crash")
	Map<String, Integer> crash() {
		int pageSize = 0;
		return Map.of("pages", 10 / pageSize);
	}

	/**
	 * The client has the whole response (503, with its length) well before the exception leaves
	 * the request filter, which reports it only then.
	 */
	@GetMapping("/api/slow-failure")
	void slowFailure(HttpServletResponse response) throws IOException, InterruptedException {
		response.setStatus(503);
		response.setContentLength(4);
		response.getWriter().write("busy");
		response.flushBuffer();
		Thread.sleep(500);
		throw new UnsupportedOperationException("Failed after the response was sent");
	}

	/** Fails on a task executor thread; the async dispatch ends the request with a 500. */
	@GetMapping("/api/async-fail")
	Callable<String> asyncFail() {
		return () -> {
			throw new IllegalStateException("Async checkout failed");
		};
	}

	@GetMapping("/api/missing")
	void missing() {
		throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No such thing");
	}

	/** Traced by sentry-boot's request filter: an http.server transaction with the query as a span. */
	@GetMapping("/api/orders/{id}")
	Map<String, Object> order(@PathVariable long id) {
		String product = this.jdbc.queryForObject("SELECT product FROM orders WHERE id = ?", String.class, id);
		return Map.of("id", id, "product", product);
	}

	/** Work that fails on a thread of its own, some time after the response. */
	@PostMapping("/api/nightly-report")
	ResponseEntity<Void> nightlyReport() {
		Thread worker = new Thread(() -> {
			try (ISentryLifecycleToken ignored = this.sentry.getScopes().forkedScopes("nightly").makeCurrent()) {
				Thread.sleep(300);
				Sentry.captureException(new IllegalStateException("Nightly report failed"));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "nightly-report");
		worker.start();
		return ResponseEntity.accepted().build();
	}

}
