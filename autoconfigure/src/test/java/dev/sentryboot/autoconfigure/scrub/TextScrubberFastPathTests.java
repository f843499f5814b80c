package dev.sentryboot.autoconfigure.scrub;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The pre-scan ({@link TextScrubber.Hints}) lets most text skip most rules: short text is looked at
 * in one loop, longer text with indexOf, and the scan also decides whether to URL-decode, whether
 * there are digits enough for a card number and whether a scheme word can hold a credential. Each
 * case here puts a secret just past one of those boundaries (its only trigger at the very end, in
 * the first or last character, in mixed case, next to non-ASCII text), at every length around the
 * switch from the loop to indexOf, so that a pre-scan that rules out too much fails.
 */
class TextScrubberFastPathTests {

	private static final String FILTERED = "[Filtered]";

	private final TextScrubber text = new TextScrubber(
			new SensitiveKeys(SensitiveKeys.DEFAULT_TERMS, SensitiveKeys.DEFAULT_SAFE_KEYS), FILTERED, List.of());

	static Stream<Arguments> secretsAtTheEnd() {
		return Stream.of(
				// Shortest texts each rule matches: the length limits of the pre-scan.
				Arguments.of("token Ab1234", "token " + FILTERED),
				Arguments.of("bEaReR Ab1234", "bEaReR " + FILTERED),
				Arguments.of("BASIC\tdXNlcjpw", "BASIC\t" + FILTERED),
				Arguments.of("4222222222222", FILTERED),
				Arguments.of("x4222222222222", "x" + FILTERED),
				Arguments.of("4111-1111-1111-1111", FILTERED),
				Arguments.of("pwd=x", "pwd=" + FILTERED),
				Arguments.of("ssn:1", "ssn:" + FILTERED),
				Arguments.of("AKIAIOSFODNN7EXAMPLE", FILTERED),
				Arguments.of("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", FILTERED),
				Arguments.of("https://u:p@h", "https://" + FILTERED + "@h"),
				// The character a word is looked for by, first seen where the word is not.
				Arguments.of("JSON eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "JSON " + FILTERED),
				Arguments.of("a/b https://u:p@h", "a/b https://" + FILTERED + "@h"),
				Arguments.of("KEY: -----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----", "KEY: " + FILTERED),
				// URL-encoded secrets: the '%' is what sends the text to the decoder.
				Arguments.of("password%3Dhunter2", "password=" + FILTERED),
				Arguments.of("pass%77ord=hunter2", "password=" + FILTERED),
				Arguments.of("Bearer%20Ab12345678", "Bearer " + FILTERED),
				Arguments.of("%70assword=hunter2", "password=" + FILTERED),
				// Non-ASCII text before the secret.
				Arguments.of("Grüße, password=hunter2", "Grüße, password=" + FILTERED),
				Arguments.of("日本語 token Ab1234", "日本語 token " + FILTERED),
				Arguments.of("Größe 4111 1111 1111 1111", "Größe " + FILTERED));
	}

	@ParameterizedTest
	@MethodSource("secretsAtTheEnd")
	void findsSecretAtTheEndOfTextOfAnyLength(String secret, String scrubbed) {
		// Padding that holds no marker at all (no digit, blank, '=', ':', '%', capital A or J):
		// the secret is the only thing the pre-scan can see, and it comes last.
		for (int padding = 0; padding <= 300; padding++) {
			String filler = "x".repeat(padding);
			String input = (padding == 0) ? secret : filler + "\n" + secret;
			String expected = (padding == 0) ? scrubbed : filler + "\n" + scrubbed;
			assertThat(this.text.scrub(input)).as("after %d characters", padding).isEqualTo(expected);
		}
	}

	@ParameterizedTest
	@MethodSource("secretsAtTheEnd")
	void findsSecretAtTheStartOfTextOfAnyLength(String secret, String scrubbed) {
		for (int padding = 1; padding <= 300; padding += 7) {
			String filler = "x".repeat(padding);
			assertThat(this.text.scrub(secret + "\n" + filler)).as("before %d characters", padding)
				.isEqualTo(scrubbed + "\n" + filler);
		}
	}

	static Stream<Arguments> nearMisses() {
		return Stream.of(
				// 12 digits and a Luhn-valid 13: only the count tells them apart.
				Arguments.of("422222222222"),
				Arguments.of("order 42-17-99 of 2024-11-22"),
				// A scheme word with too short a credential, or one of plain lower-case words.
				Arguments.of("token Ab123"),
				Arguments.of("basic authentication"),
				// A '%' that is no escape, and a safe key.
				Arguments.of("100% done, 50%off"),
				Arguments.of("token_type=bearer"),
				Arguments.of("author=Smith authority=ok"));
	}

	@ParameterizedTest
	@MethodSource("nearMisses")
	void leavesNearMissesAsTheyAre(String clean) {
		for (int padding = 0; padding <= 300; padding += 13) {
			String input = "x".repeat(padding) + " " + clean;
			assertThat(this.text.scrub(input)).isSameAs(input);
		}
	}

	@ParameterizedTest
	@MethodSource("secretsAtTheEnd")
	void rememberedCleanTextNeverHidesASecret(String secret, String scrubbed) {
		// A text seen clean is remembered; the same text with a secret added is not that text.
		String clean = secret.substring(0, secret.length() - 1);
		this.text.scrubRecurring(clean);
		this.text.scrubRecurring(clean);
		assertThat(this.text.scrubRecurring(new String(secret.toCharArray()))).isEqualTo(scrubbed);
		assertThat(this.text.scrubRecurring(secret)).isEqualTo(scrubbed);
	}

	@Test
	void emptyReplacementRemovesValuesAndTerminates() {
		// A value's end is found by comparing the text with the replacement where it starts; an
		// empty replacement starts nowhere (it once matched everywhere and never moved on).
		TextScrubber empty = new TextScrubber(
				new SensitiveKeys(SensitiveKeys.DEFAULT_TERMS, SensitiveKeys.DEFAULT_SAFE_KEYS), "", List.of());
		assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
			assertThat(empty.scrub("theme=dark; JSESSIONID=abc123; lang=en")).isEqualTo("theme=dark; JSESSIONID=; lang=en");
			assertThat(empty.scrub("login failed for password=hunter2 at 10:00"))
				.isEqualTo("login failed for password= at 10:00");
		});
	}

}
