package dev.sentryboot.sample.orders;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns invoice failures into a clean 500 problem response without internals. The exception is
 * handled here, yet the starter still reports it: it records exceptions before any handler runs
 * and captures once the final status is a server error.
 */
@RestControllerAdvice
class ApiExceptionHandler {

	@ExceptionHandler
	ProblemDetail invoiceRenderingFailed(InvoiceRenderingException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"The invoice could not be rendered. Please try again later.");
		problem.setTitle("Invoice unavailable");
		problem.setProperty("orderId", ex.getOrderId());
		return problem;
	}

}
