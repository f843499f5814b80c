package dev.sentryboot.sample.orders;

import java.math.BigDecimal;
import java.math.RoundingMode;

import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Renders a plain-text invoice. The VAT rate comes from the {@code tax_rates} table, which (like
 * many real ones) does not cover every country orders ship to: order 3 ships to CH and fails.
 */
@Component
class InvoiceRenderer {

	private final JdbcTemplate jdbc;

	InvoiceRenderer(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	String render(Order order) {
		BigDecimal rate = vatRate(order);
		return """
				Invoice for order #%d
				Customer: %s
				%d x %s
				Ship to: %s
				VAT: %s%%
				""".formatted(order.id(), order.customer(), order.quantity(), order.product(), order.country(),
				rate.movePointRight(2).setScale(1, RoundingMode.HALF_UP));
	}

	private BigDecimal vatRate(Order order) {
		try {
			return this.jdbc.queryForObject("SELECT rate FROM tax_rates WHERE country = ?", BigDecimal.class,
					order.country());
		}
		catch (EmptyResultDataAccessException ex) {
			throw new InvoiceRenderingException(order.id(),
					"No VAT rate for country " + order.country() + ": cannot render invoice of order " + order.id(),
					ex);
		}
	}

}
