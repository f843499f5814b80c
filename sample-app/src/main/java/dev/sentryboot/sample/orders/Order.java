package dev.sentryboot.sample.orders;

import java.time.Instant;

/** An order as stored and as returned by the API. */
public record Order(long id, String customer, String product, int quantity, String country, Instant createdAt) {

}
