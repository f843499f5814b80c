package dev.sentryboot.autoconfigure.tracing;

import java.util.ArrayList;
import java.util.List;

import dev.sentryboot.autoconfigure.SentryProperties;

import org.junit.jupiter.api.Test;

import org.springframework.util.AntPathMatcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shortcuts taken for the usual ignored-path shapes match exactly what the Ant matcher would.
 */
class SentryRequestTracingTests {

	private static final String[] PATTERNS = { "/actuator/**", "/**/*.css", "/favicon.ico", "/api/*/health",
			"/docs/**/index.html", "/**", "/v{version}/ping", "/static/**" };

	private static final String[] PATHS = { "/actuator", "/actuator/", "/actuator/health", "/actuator/health/db",
			"/actuatorx", "/actuatorx/health", "/site.css", "/css/site.css", "/a/b/c.css", "/site.css.map",
			"/sitecss", "/favicon.ico", "/favicon.icon", "/api/orders/health", "/api/orders/1/health",
			"/docs/index.html", "/docs/a/b/index.html", "/", "", "/v2/ping", "/static", "/static/app.js",
			"/statics/app.js", "/.css", "/a/.css", "/actuator/../x" };

	@Test
	void eachPatternAloneAgreesWithTheAntMatcher() {
		AntPathMatcher matcher = new AntPathMatcher();
		for (String pattern : PATTERNS) {
			SentryRequestTracing.IgnoredPaths ignored = new SentryRequestTracing.IgnoredPaths(List.of(pattern));
			for (String path : PATHS) {
				assertThat(ignored.matches(path)).as("%s matches %s", pattern, path)
					.isEqualTo(matcher.match(pattern, path));
			}
		}
	}

	@Test
	void ignoredPathsAgreeWithTheAntMatcher() {
		List<String> defaults = new SentryProperties().getTracing().getIgnoredPaths();
		List<List<String>> lists = List.of(defaults, List.of(PATTERNS), List.of("/**/*.min.js", "/**/*.", " /health ",
				"", "/**/*.css/x", "/a.b/**"), List.of());
		List<String> paths = new ArrayList<>(List.of(PATHS));
		paths.addAll(List.of("/orders/42", "/app.min.js", "/app.js", "/a/b.", "/health", "/a.b", "/a.b/c", "/x.css/x",
				"/img/logo.png", "/logo.PNG", "/fonts/a.woff2", "/fonts/a.woff", "/error", "/errors", "/js", "/jsx"));
		AntPathMatcher matcher = new AntPathMatcher();
		for (List<String> patterns : lists) {
			SentryRequestTracing.IgnoredPaths ignored = new SentryRequestTracing.IgnoredPaths(patterns);
			for (String path : paths) {
				boolean expected = patterns.stream()
					.map(String::trim)
					.filter((pattern) -> !pattern.isEmpty())
					.anyMatch((pattern) -> matcher.match(pattern, path));
				assertThat(ignored.matches(path)).as("%s ignores %s", patterns, path).isEqualTo(expected);
			}
		}
	}

}
