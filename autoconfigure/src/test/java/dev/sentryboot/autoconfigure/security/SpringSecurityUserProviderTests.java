package dev.sentryboot.autoconfigure.security;

import java.time.Instant;
import java.util.Map;

import io.sentry.protocol.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;


import static org.assertj.core.api.Assertions.assertThat;

class SpringSecurityUserProviderTests {

	private final SpringSecurityUserProvider provider = new SpringSecurityUserProvider();

	@AfterEach
	void clear() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void noUserWithoutAuthentication() {
		assertThat(this.provider.provideUser(new MockHttpServletRequest())).isNull();
	}

	@Test
	void noUserForAnonymous() {
		authenticate(new AnonymousAuthenticationToken("key", "anonymousUser",
				AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
		assertThat(this.provider.provideUser(new MockHttpServletRequest())).isNull();
	}

	@Test
	void userDetails() {
		org.springframework.security.core.userdetails.User details = new org.springframework.security.core.userdetails.User(
				"alice", "secret", AuthorityUtils.createAuthorityList("ROLE_USER"));
		authenticate(UsernamePasswordAuthenticationToken.authenticated(details, null, details.getAuthorities()));
		User user = this.provider.provideUser(new MockHttpServletRequest());
		assertThat(user.getUsername()).isEqualTo("alice");
		assertThat(user.getId()).isEqualTo("alice");
	}

	@Test
	void jwtClaims() {
		Jwt jwt = new Jwt("token-value", Instant.now(), Instant.now().plusSeconds(60), Map.of("alg", "none"),
				Map.of("sub", "u-42", "preferred_username", "bob", "email", "bob@example.com"));
		authenticate(new TestingAuthenticationToken(jwt, null, "ROLE_USER"));
		User user = this.provider.provideUser(new MockHttpServletRequest());
		assertThat(user.getId()).isEqualTo("u-42");
		assertThat(user.getUsername()).isEqualTo("bob");
		assertThat(user.getEmail()).isEqualTo("bob@example.com");
	}

	private static void authenticate(Authentication authentication) {
		SecurityContextHolder.getContext().setAuthentication(authentication);
	}

}
