package dev.sentryboot.autoconfigure.jdbc;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web application whose endpoint queries the database before it fails.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(JdbcWebTestApplication.OrdersController.class)
class JdbcWebTestApplication {

	static final String COUNT_SQL = "select count(*) from orders";

	static final String FAILING_SQL = "update no_such_table set item = 'x'";

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@RestController
	static class OrdersController {

		private final JdbcTemplate jdbc;

		OrdersController(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@GetMapping("/orders/archive")
		String archive() {
			Integer count = this.jdbc.queryForObject(COUNT_SQL, Integer.class);
			this.jdbc.update(FAILING_SQL);
			return "archived " + count;
		}

	}

}
