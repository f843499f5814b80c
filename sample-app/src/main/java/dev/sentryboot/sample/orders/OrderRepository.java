package dev.sentryboot.sample.orders;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** Plain JDBC, so that the starter's DataSource integration has queries to record. */
@Repository
class OrderRepository {

	private static final String COLUMNS = "id, customer, product, quantity, country, created_at";

	private final JdbcTemplate jdbc;

	OrderRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	List<Order> findAll() {
		return this.jdbc.query("SELECT " + COLUMNS + " FROM orders ORDER BY id", OrderRepository::mapRow);
	}

	Optional<Order> findById(long id) {
		return this.jdbc.query("SELECT " + COLUMNS + " FROM orders WHERE id = ?", OrderRepository::mapRow, id)
			.stream()
			.findFirst();
	}

	Order insert(String customer, NewOrder order) {
		KeyHolder keys = new GeneratedKeyHolder();
		this.jdbc.update((connection) -> {
			var statement = connection.prepareStatement(
					"INSERT INTO orders (customer, product, quantity, country) VALUES (?, ?, ?, ?)",
					new String[] { "id" });
			statement.setString(1, customer);
			statement.setString(2, order.product());
			statement.setInt(3, order.quantity());
			statement.setString(4, order.countryOrDefault());
			return statement;
		}, keys);
		long id = keys.getKeyAs(Long.class);
		return findById(id).orElseThrow();
	}

	private static Order mapRow(ResultSet rs, int rowNum) throws SQLException {
		return new Order(rs.getLong("id"), rs.getString("customer"), rs.getString("product"), rs.getInt("quantity"),
				rs.getString("country"), rs.getTimestamp("created_at").toInstant());
	}

}
