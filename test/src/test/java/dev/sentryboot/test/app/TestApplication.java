package dev.sentryboot.test.app;

import dev.sentryboot.autoconfigure.web.SentryUserProvider;
import io.sentry.protocol.User;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A small shop on H2 whose endpoints fail the ways the module's tests need. The user of a
 * request is named by the {@code X-User} header.
 */
@SpringBootApplication
public class TestApplication {

	@Bean
	SentryUserProvider headerUser() {
		return (request) -> {
			String name = request.getHeader("X-User");
			if (name == null) {
				return null;
			}
			User user = new User();
			user.setUsername(name);
			return user;
		};
	}

}
