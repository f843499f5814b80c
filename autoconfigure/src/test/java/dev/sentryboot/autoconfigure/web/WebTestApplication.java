package dev.sentryboot.autoconfigure.web;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import io.sentry.EventProcessor;
import io.sentry.Hint;
import io.sentry.Sentry;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import io.sentry.protocol.User;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User.UserBuilder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.server.ResponseStatusException;

/**
 * A web application that fails in the ways real ones do, for the wire-level tests.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ WebTestApplication.FailingController.class, WebTestApplication.Advice.class })
class WebTestApplication {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@Bean
	InMemoryUserDetailsManager users() {
		UserBuilder users = org.springframework.security.core.userdetails.User.withUsername("alice")
			.password("{noop}alice-password")
			.roles("USER");
		return new InMemoryUserDetailsManager(users.build());
	}

	@Bean
	EventProcessor tagsEveryEvent() {
		return new EventProcessor() {
			@Override
			public SentryEvent process(SentryEvent event, Hint hint) {
				event.setTag("processed-by", "event-processor-bean");
				return event;
			}
		};
	}

	@Bean
	SentryOptions.BeforeSendCallback tagsBeforeSend() {
		return (event, hint) -> {
			event.setTag("before-send", "callback-bean");
			return event;
		};
	}

	@Bean
	FilterRegistrationBean<OncePerRequestFilter> failingFilter() {
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
				new OncePerRequestFilter() {
					@Override
					protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
							FilterChain chain) throws ServletException, IOException {
						throw new IllegalStateException("filter failed");
					}
				});
		registration.addUrlPatterns("/filter-boom");
		return registration;
	}

	static class HandledException extends RuntimeException {

		HandledException(String message) {
			super(message);
		}

	}

	static class IgnoredBase extends RuntimeException {

		IgnoredBase(String message) {
			super(message);
		}

	}

	static class IgnoredChild extends IgnoredBase {

		IgnoredChild(String message) {
			super(message);
		}

	}

	@RestController
	static class FailingController {

		@GetMapping("/ok")
		String ok() {
			return "ok";
		}

		@GetMapping("/boom")
		String boom() {
			throw new IllegalStateException("boom");
		}

		@GetMapping("/orders/{id}")
		String order(@RequestParam(defaultValue = "x") String ignored) {
			throw new IllegalStateException("order failed");
		}

		@GetMapping("/handled")
		String handled() {
			throw new HandledException("handled into a 500");
		}

		@GetMapping("/bad-request")
		String badRequest() {
			throw new IllegalArgumentException("handled into a 400");
		}

		@GetMapping("/missing")
		String missing() {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such thing");
		}

		@GetMapping("/number")
		String number(@RequestParam int value) {
			return "n=" + value;
		}

		@GetMapping("/denied")
		String denied() {
			throw new AccessDeniedException("not yours");
		}

		@GetMapping("/unavailable")
		String unavailable() {
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "down for maintenance");
		}

		@GetMapping("/callable")
		Callable<String> callable() {
			return () -> {
				throw new IllegalStateException("callable failed");
			};
		}

		@GetMapping("/deferred")
		DeferredResult<String> deferred() {
			DeferredResult<String> result = new DeferredResult<>();
			new Thread(() -> result.setErrorResult(new IllegalStateException("deferred failed"))).start();
			return result;
		}

		@GetMapping("/future")
		CompletableFuture<String> future() {
			return CompletableFuture.supplyAsync(() -> {
				throw new IllegalStateException("future failed");
			});
		}

		@GetMapping("/async-missing")
		Callable<String> asyncMissing() {
			return () -> {
				throw new ResponseStatusException(HttpStatus.NOT_FOUND, "async not found");
			};
		}

		@GetMapping("/tagged")
		String tagged(@RequestParam String id) {
			Sentry.setTag("request-id", id);
			User user = new User();
			user.setId(id);
			Sentry.setUser(user);
			Sentry.addBreadcrumb("work for " + id);
			throw new IllegalStateException("failed for " + id);
		}

		@GetMapping("/ignored")
		String ignored() {
			throw new IllegalStateException("wrapper", new java.util.concurrent.TimeoutException("Read TIMED OUT"));
		}

		@GetMapping("/ignored-type")
		String ignoredType() {
			throw new IgnoredChild("child of an ignored type");
		}

	}

	@RestControllerAdvice
	static class Advice {

		@ExceptionHandler(HandledException.class)
		ResponseEntity<String> handled(HandledException ex) {
			return ResponseEntity.status(500).body("sorry");
		}

		@ExceptionHandler(IllegalArgumentException.class)
		ResponseEntity<String> badRequest(IllegalArgumentException ex) {
			return ResponseEntity.badRequest().body("bad");
		}

	}

}
