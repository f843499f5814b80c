package dev.sentryboot.autoconfigure.security;

import java.util.Map;

import dev.sentryboot.autoconfigure.web.SentryUserProvider;
import io.sentry.protocol.User;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.util.ClassUtils;

/**
 * The user of a request from Spring Security's {@link Authentication}: {@link UserDetails}, a
 * JWT ({@code sub}, {@code preferred_username}, {@code email}), an OIDC or OAuth2 user.
 */
public final class SpringSecurityUserProvider implements SentryUserProvider {

	private static final boolean JWT_PRESENT = ClassUtils.isPresent(
			"org.springframework.security.oauth2.jwt.Jwt", SpringSecurityUserProvider.class.getClassLoader());

	private static final boolean OAUTH2_PRESENT = ClassUtils.isPresent(
			"org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal",
			SpringSecurityUserProvider.class.getClassLoader());

	@Override
	public @Nullable User provideUser(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
			return null;
		}
		Object principal = authentication.getPrincipal();
		Map<String, Object> claims = null;
		if (JWT_PRESENT) {
			claims = Claims.ofJwt(principal);
		}
		if (claims == null && OAUTH2_PRESENT) {
			claims = Claims.ofOAuth2(principal);
		}
		User user = new User();
		if (claims != null) {
			user.setId(text(claims.get("sub")));
			user.setUsername(text(claims.get("preferred_username")));
			user.setEmail(text(claims.get("email")));
		}
		else if (principal instanceof UserDetails details) {
			user.setUsername(details.getUsername());
		}
		if (user.getUsername() == null) {
			user.setUsername(authentication.getName());
		}
		if (user.getId() == null) {
			user.setId(user.getUsername());
		}
		return user;
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	/** Kept apart so the optional OAuth2 classes load only when present. */
	private static final class Claims {

		static @Nullable Map<String, Object> ofJwt(@Nullable Object principal) {
			return (principal instanceof org.springframework.security.oauth2.jwt.Jwt jwt) ? jwt.getClaims() : null;
		}

		static @Nullable Map<String, Object> ofOAuth2(@Nullable Object principal) {
			return (principal instanceof org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal oauth2)
					? oauth2.getAttributes() : null;
		}

	}

}
