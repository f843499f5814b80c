package dev.sentryboot.sample.orders;

/** Thrown when an invoice cannot be produced for an order that exists. */
public class InvoiceRenderingException extends RuntimeException {

	private final long orderId;

	public InvoiceRenderingException(long orderId, String message, Throwable cause) {
		super(message, cause);
		this.orderId = orderId;
	}

	public long getOrderId() {
		return this.orderId;
	}

}
