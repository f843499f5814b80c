package dev.sentryboot.autoconfigure.tracing;

import java.util.Map;
import java.util.concurrent.Callable;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ResponseStatusException;

/**
 * A service that queries its database and calls other services through the HTTP clients Spring
 * Boot builds, for the tracing tests (it plays both the caller and the called service).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(TracingTestApplication.OrdersController.class)
class TracingTestApplication {

	static final String ORDER_SQL = "select 42";

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@RestController
	static class OrdersController {

		private final JdbcTemplate jdbc;

		private final RestClient restClient;

		private final RestTemplate restTemplate;

		private final WebClient webClient;

		OrdersController(JdbcTemplate jdbc, RestClient.Builder restClient, RestTemplateBuilder restTemplate,
				WebClient.Builder webClient) {
			this.jdbc = jdbc;
			this.restClient = restClient.build();
			this.restTemplate = restTemplate.build();
			this.webClient = webClient.build();
		}

		@GetMapping("/api/orders/{id}")
		String order(@PathVariable String id) {
			return "order " + id + " of " + this.jdbc.queryForObject(ORDER_SQL, Integer.class);
		}

		@GetMapping("/api/ping/{id}")
		String ping(@PathVariable String id) {
			return "pong " + id;
		}

		@GetMapping("/api/slow/{id}")
		Callable<String> slow(@PathVariable String id) {
			return () -> "slow " + id;
		}

		@GetMapping("/api/orders/{id}/fail")
		String fail(@PathVariable String id) {
			throw new IllegalStateException("order " + id + " failed");
		}

		@GetMapping("/api/gone")
		String gone() {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "gone");
		}

		/** The trace headers this service received, as "name=value" lines. */
		@GetMapping("/api/headers")
		Map<String, String> headers(HttpServletRequest request) {
			return Map.of("sentry-trace", String.valueOf(request.getHeader("sentry-trace")), "baggage",
					String.valueOf(request.getHeader("baggage")), "traceparent",
					String.valueOf(request.getHeader("traceparent")));
		}

		@GetMapping("/api/call")
		String call(@RequestParam String url, @RequestParam(defaultValue = "rest-client") String client) {
			return switch (client) {
				case "rest-template" -> this.restTemplate.getForObject(url, String.class);
				case "web-client" -> this.webClient.get().uri(url).retrieve().bodyToMono(String.class).block();
				default -> this.restClient.get().uri(url).retrieve().body(String.class);
			};
		}

	}

}
