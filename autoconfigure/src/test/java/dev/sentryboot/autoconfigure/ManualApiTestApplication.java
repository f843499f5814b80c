package dev.sentryboot.autoconfigure;

import java.util.Map;

import io.sentry.IScopes;
import io.sentry.ISpan;
import io.sentry.ITransaction;
import io.sentry.Sentry;
import io.sentry.protocol.User;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web application that uses the SDK's API by hand, the way the README shows it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ManualApiTestApplication.CheckoutController.class)
class ManualApiTestApplication {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
	}

	@RestController
	static class CheckoutController {

		private final IScopes scopes;

		CheckoutController(IScopes scopes) {
			this.scopes = scopes;
		}

		@GetMapping("/manual/checkout")
		String checkout(@RequestParam String user, @RequestParam String id) {
			ITransaction transaction = Sentry.startTransaction("checkout " + id, "checkout");
			try {
				ISpan cart = transaction.startChild("db.query", "load cart");
				cart.finish();
				ISpan payment = transaction.startChild("http.client", "charge card");
				payment.finish();
			}
			finally {
				transaction.finish();
			}
			User customer = new User();
			customer.setUsername(user);
			Sentry.setUser(customer);
			Sentry.addBreadcrumb("cart checked out " + id);
			Sentry.captureException(new IllegalStateException("payment declined " + id), (scope) -> {
				scope.setTag("checkout-step", "payment");
				scope.setContexts("cart", Map.of("items", 3));
			});
			return "declined";
		}

		@GetMapping("/manual/anonymous")
		String anonymous(@RequestParam String id) {
			Sentry.captureMessage("anonymous " + id);
			return "ok";
		}

		@GetMapping("/manual/logout")
		String logout(@RequestParam String id) {
			User customer = new User();
			customer.setUsername("leaving");
			Sentry.setUser(customer);
			Sentry.setUser(null);
			Sentry.captureMessage("logged out " + id);
			return "ok";
		}

		@GetMapping("/manual/injected")
		String injected(@RequestParam String id) {
			this.scopes.setTag("via", "bean");
			this.scopes.captureMessage("injected " + id);
			return "ok";
		}

	}

}
