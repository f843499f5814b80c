package dev.sentryboot.autoconfigure.scrub;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TextScrubberTests {

	private final TextScrubber text = new TextScrubber(
			new SensitiveKeys(SensitiveKeys.DEFAULT_TERMS, SensitiveKeys.DEFAULT_SAFE_KEYS), "[Filtered]", List.of());

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"login failed for password=hunter2 at 10:00|login failed for password=[Filtered] at 10:00",
			"page=2&access_token=abc123&size=50|page=2&access_token=[Filtered]&size=50",
			"{\"user\":\"bob\",\"password\":\"hunter2\"}|{\"user\":\"bob\",\"password\":\"[Filtered]\"}",
			"{\"password\": \"hunter2\", \"token_type\": \"bearer\"}|{\"password\": \"[Filtered]\", \"token_type\": \"bearer\"}",
			"update users set pwd = 'hunter2' where id = 7|update users set pwd = '[Filtered]' where id = 7",
			"secret: correct horse battery, user: bob|secret: [Filtered], user: bob",
			"theme=dark; JSESSIONID=abc123; lang=en|theme=dark; JSESSIONID=[Filtered]; lang=en",
			"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl|Authorization: [Filtered]",
			"calling with Bearer abcDEF123456ghi|calling with Bearer [Filtered]",
			"header Basic dXNlcjpwYXNz was rejected|header Basic [Filtered] was rejected",
			"we use basic authentication here|we use basic authentication here",
			"jdbc:postgresql://app:s3cret@db:5432/orders|jdbc:postgresql://[Filtered]@db:5432/orders",
			"https://user:pa55@example.com/path?q=1|https://[Filtered]@example.com/path?q=1",
			"key AKIAIOSFODNN7EXAMPLE leaked|key [Filtered] leaked",
			"card 4111 1111 1111 1111 declined|card [Filtered] declined",
			"card 4111-1111-1111-1111 declined|card [Filtered] declined",
			"card 4111111111111111 declined|card [Filtered] declined",
			"order 4111111111111112 shipped|order 4111111111111112 shipped",
			"order-12345 by author Smith, authority ok|order-12345 by author Smith, authority ok",
			"https://example.com/a?b=c|https://example.com/a?b=c",
			"keys AKIAIOSFODNN7EXAMPL3 42 leaked|keys [Filtered] 42 leaked",
			"a line long enough to be searched rather than looped over, then Bearer abcDEF123456ghi here|a line long enough to be searched rather than looped over, then Bearer [Filtered] here",
			"a line long enough to be searched rather than looped over, then TOKEN\tabcDEF123456ghi|a line long enough to be searched rather than looped over, then TOKEN\t[Filtered]",
			"order 42, 7 items, 3 parcels, ref 12-34-56 and at the very end 4111 1111 1111 1111|order 42, 7 items, 3 parcels, ref 12-34-56 and at the very end [Filtered]" })
	void scrubs(String input, String expected) {
		assertThat(this.text.scrub(input)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"select id, customer, item, amount from orders where id = ?|select id, customer, item, amount from orders where id = ?",
			"update users set pwd = 'hunter2' where id = 7|update users set pwd = '[Filtered]' where id = 7",
			"insert into cards values ('4111 1111 1111 1111', ?)|insert into cards values ('[Filtered]', ?)",
			"select * from t where token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'|select * from t where token = '[Filtered]'" })
	void scrubsRecurringTextEveryTimeAsTheRulesDo(String input, String expected) {
		for (int i = 0; i < 3; i++) {
			// A fresh copy each time, as a query built per call would be.
			String copy = new String(input.toCharArray());
			assertThat(this.text.scrubRecurring(copy)).isEqualTo(expected).isEqualTo(this.text.scrub(copy));
		}
	}

	@Test
	void recurringCleanTextComesBackAsItWas() {
		String sql = "select id, customer, item, amount from orders where id = ?";
		assertThat(this.text.scrubRecurring(sql)).isSameAs(sql);
		assertThat(this.text.scrubRecurring(sql)).isSameAs(sql);
		String copy = new String(sql.toCharArray());
		assertThat(this.text.scrubRecurring(copy)).isSameAs(copy);
	}

	@Test
	void recurringTextLongerThanRememberedIsStillScrubbed() {
		String longText = "x".repeat(2000) + " password=hunter2";
		assertThat(this.text.scrubRecurring(longText)).endsWith("password=[Filtered]");
		assertThat(this.text.scrubRecurring(longText)).endsWith("password=[Filtered]");
	}

	@Test
	void removesPemPrivateKeyBlocks() {
		String pem = "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----\ndone";
		assertThat(this.text.scrub(pem)).isEqualTo("key:\n[Filtered]\ndone").doesNotContain("MIIE");
	}

	@Test
	void removesTruncatedPemBlocks() {
		assertThat(this.text.scrub("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC"))
			.isEqualTo("[Filtered]");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"page=2&size=50|page=2&size=50",
			"page=2&access_token=abc123|page=2&access_token=[Filtered]",
			"access_token=abc123|access_token=[Filtered]",
			"&token=abc123&|&token=[Filtered]&",
			"q=hello%20world&sort=asc|q=hello%20world&sort=asc",
			"q=a+b&pass%77ord=hunter2|q=a+b&pass%77ord=[Filtered]",
			"note=password%3Dhunter2&page=2|note=password=[Filtered]&page=2",
			"bad=%zz&token=abc123|[Filtered]&token=[Filtered]" })
	void scrubsQueryStrings(String input, String expected) {
		assertThat(this.text.scrubQuery(input)).isEqualTo(expected);
	}

	@Test
	void rulesThatRewriteOneTextEachSeeTheOthersResult() {
		// Cards, then pairs, then schemes rewrite the same text one after the other.
		String text = "order 42 card 4111 1111 1111 1111 password=hunter2 sent with Bearer abcDEF123456ghi, "
				+ "{\"cardNumber\":\"4111111111111111\",\"cvv\":\"123\"} and more text after it";
		assertThat(this.text.scrub(text)).isEqualTo("order 42 card [Filtered] password=[Filtered] sent with Bearer "
				+ "[Filtered], {\"cardNumber\":\"[Filtered]\",\"cvv\":\"[Filtered]\"} and more text after it");
		assertThat(this.text.scrub("plain text")).isEqualTo("plain text");
	}

	@Test
	void removesJwtAnywhere() {
		assertThat(this.text.scrub("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sig in text"))
			.doesNotContain("eyJ");
	}

	@Test
	void cutsVeryLongText() {
		String scrubbed = this.text.scrub("x".repeat(100_000) + " password=late");
		assertThat(scrubbed).hasSizeLessThan(TextScrubber.MAX_LENGTH + 20).endsWith("...[truncated]");
	}

	@Test
	void appliesExtraPatterns() {
		TextScrubber custom = new TextScrubber(new SensitiveKeys(List.of(), List.of()), "***",
				List.of(Pattern.compile("TENANT-[0-9]+")));
		assertThat(custom.scrub("for TENANT-42 only")).isEqualTo("for *** only");
	}

}
