package dev.sentryboot.sample.orders;

import java.net.URI;
import java.security.Principal;
import java.util.List;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The orders API. Requires a logged-in user (see {@code SecurityConfiguration}). */
@RestController
@RequestMapping("/api/orders")
class OrderController {

	private final OrderRepository orders;

	private final InvoiceRenderer invoices;

	OrderController(OrderRepository orders, InvoiceRenderer invoices) {
		this.orders = orders;
		this.invoices = invoices;
	}

	@GetMapping
	List<Order> list() {
		return this.orders.findAll();
	}

	/** A missing order is a 404, a client error the starter does not report. */
	@GetMapping("/{id}")
	Order get(@PathVariable long id) {
		return find(id);
	}

	@PostMapping
	ResponseEntity<Order> create(@Valid @RequestBody NewOrder order, Principal principal) {
		Order created = this.orders.insert(principal.getName(), order);
		return ResponseEntity.created(URI.create("/api/orders/" + created.id())).body(created);
	}

	/**
	 * Fails for orders shipped to a country without a VAT rate; {@code ApiExceptionHandler} turns the
	 * failure into a 500 problem response, which the starter still reports.
	 */
	@GetMapping(path = "/{id}/invoice", produces = MediaType.TEXT_PLAIN_VALUE)
	String invoice(@PathVariable long id) {
		return this.invoices.render(find(id));
	}

	private Order find(long id) {
		return this.orders.findById(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order " + id));
	}

}
