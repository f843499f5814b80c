package dev.sentryboot.benchmarks.load;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application {@code benchmarks/run.sh} loads: the same sources are built without Sentry,
 * with Sentry's official integration and with sentry-boot (see {@code benchmarks/load/pom.xml}),
 * so that any difference between the three comes from the Sentry integration alone. Nothing
 * here refers to Sentry.
 */
@SpringBootApplication
public class LoadApplication {

	public static void main(String[] args) {
		SpringApplication.run(LoadApplication.class, args);
	}

	/** One row of the {@code orders} table ({@code schema.sql}), returned as JSON. */
	public record Order(long id, String customer, String item, long amountCents) {
	}

	@RestController
	static class OrderController {

		/** One call in this many to {@code /checkout} fails. */
		static final int FAILING_ONE_IN = 100;

		private final JdbcTemplate jdbc;

		/**
		 * A counter rather than a random draw: every variant fails exactly the same share of
		 * calls, so each reports the same number of errors for the same number of requests.
		 */
		private final AtomicLong checkouts = new AtomicLong();

		OrderController(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@GetMapping("/orders/{id}")
		Order order(@PathVariable long id) {
			return this.jdbc.queryForObject("select id, customer, item, amount_cents from orders where id = ?",
					(rs, row) -> new Order(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4)), id);
		}

		@GetMapping("/orders/{id}/checkout")
		Order checkout(@PathVariable long id) {
			Order order = order(id);
			if (this.checkouts.incrementAndGet() % FAILING_ONE_IN == 0) {
				// Unhandled, as most server errors are: the container turns it into a 500.
				throw new IllegalStateException("Payment provider refused order " + order.id());
			}
			return order;
		}

	}

}
