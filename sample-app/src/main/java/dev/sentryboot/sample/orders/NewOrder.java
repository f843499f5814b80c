package dev.sentryboot.sample.orders;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

/**
 * The body of {@code POST /api/orders}. Invalid input is a client error (400): the starter does
 * not report it.
 *
 * @param product what is ordered
 * @param quantity how many
 * @param country ISO country the order ships to, {@code DE} when absent
 */
public record NewOrder(@NotBlank String product, @NotNull @Positive Integer quantity,
		@Pattern(regexp = "[A-Z]{2}") String country) {

	String countryOrDefault() {
		return (this.country != null) ? this.country : "DE";
	}

}
