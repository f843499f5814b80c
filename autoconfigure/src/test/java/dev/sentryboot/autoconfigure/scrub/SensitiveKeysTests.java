package dev.sentryboot.autoconfigure.scrub;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SensitiveKeysTests {

	private final SensitiveKeys keys = new SensitiveKeys(SensitiveKeys.DEFAULT_TERMS,
			SensitiveKeys.DEFAULT_SAFE_KEYS);

	@ParameterizedTest
	@ValueSource(strings = { "password", "PASSWORD", "Password", "user_password", "userPassword", "passwd", "pwd",
			"mysql_pwd", "pass", "X-Auth-Token", "x-auth-token", "XAuthToken", "apiKey", "api_key", "API-KEY",
			"apikey", "client-secret", "clientSecret", "SESSIONID", "JSESSIONID", "session_id", "sessionId",
			"authorization", "Authorization", "auth", "Bearer", "credentials", "cookie", "Set-Cookie", "csrf_token",
			"X-XSRF-TOKEN", "cardNumber", "card_number", "creditCard", "credit-card-number", "cvv", "cvv2", "CVC",
			"iban", "ssn", "privateKey", "private_key", "accessKey", "AWS_ACCESS_KEY_ID", "aws_secret_access_key",
			"refresh_token", "accessToken", "signature", "X-Hub-Signature", "secret", "secrets", "tokens",
			"passphrase" })
	void sensitive(String key) {
		assertThat(this.keys.isSensitive(key)).as(key).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "token_type", "tokenType", "author", "authority", "Authority", "authors", "passenger",
			"bypass", "compass", "passport", "lesson", "secretary", "tokenizer", "orderId", "order_id", "name",
			"email", "user", "keyboard", "accept", "content-type", "x-request-id" })
	void notSensitive(String key) {
		assertThat(this.keys.isSensitive(key)).as(key).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "tenant_pin", "PIN", "otp" })
	void addedKeysCount(String key) {
		SensitiveKeys extended = new SensitiveKeys(List.of("pin", "otp"), List.of());
		assertThat(extended.isSensitive(key)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "session_timeout", "Session-Timeout" })
	void safeKeysAreExempt(String key) {
		SensitiveKeys exempting = new SensitiveKeys(SensitiveKeys.DEFAULT_TERMS, List.of("session_timeout"));
		assertThat(exempting.isSensitive(key)).isFalse();
		assertThat(this.keys.isSensitive(key)).isTrue();
	}

	@Test
	void verdictsStayRightWhenManyKeysShareTheCache() {
		// Far more keys than the verdict cache holds, whole and as regions of a text, read
		// twice: every set fills up and evicts; a verdict never goes to the wrong key.
		for (int round = 0; round < 2; round++) {
			for (int i = 0; i < 20_000; i++) {
				String plain = "field" + i;
				String secret = "secret" + i;
				String text = "x " + plain + "=1 " + secret + "=2";
				assertThat(this.keys.isSensitive(plain)).as(plain).isFalse();
				assertThat(this.keys.isSensitive(secret)).as(secret).isTrue();
				int start = text.indexOf(plain);
				assertThat(this.keys.isSensitive(text, start, start + plain.length())).as(plain).isFalse();
				start = text.indexOf(secret);
				assertThat(this.keys.isSensitive(text, start, start + secret.length())).as(secret).isTrue();
			}
		}
	}

}
