package dev.sentryboot.autoconfigure.scrub;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sentry.Breadcrumb;
import io.sentry.SentryEvent;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the scrubber remembers between events (keys whose text was clean) and reuses within one
 * (the visitor of the SDK's concurrent maps) must never let a secret through: the same data, and
 * data that only differs in its secret, are scrubbed the same in every event.
 */
class SentryDataScrubberRecurringDataTests {

	private static final String FILTERED = "[Filtered]";

	private final SentryDataScrubber scrubber = SentryDataScrubber.builder().build();

	@Test
	void secretInAMapKeyIsRemovedInEveryEvent() {
		for (int i = 0; i < 5; i++) {
			// The same key object each time, and an equal fresh copy: a remembered key is a clean one.
			String key = (i % 2 == 0) ? "password=hunter2" : new String("password=hunter2".toCharArray());
			Map<String, Object> context = new LinkedHashMap<>();
			context.put("status", "open");
			context.put(key, "value");
			SentryEvent event = new SentryEvent();
			event.getContexts().put("order", context);

			this.scrubber.scrub(event);

			assertThat(asMap(event.getContexts().get("order")).keySet()).containsExactly("status",
					"password=" + FILTERED);
		}
	}

	@Test
	void cleanKeySeenBeforeDoesNotHideASecretKeyNextToIt() {
		Map<String, Object> clean = new LinkedHashMap<>();
		clean.put("token_type", "bearer");
		clean.put("author", "Jane");
		SentryEvent first = new SentryEvent();
		first.getContexts().put("login", clean);
		this.scrubber.scrub(first);
		assertThat(first.getContexts().get("login")).isSameAs(clean);

		Map<String, Object> secret = new LinkedHashMap<>();
		secret.put("token_type", "bearer");
		secret.put("author", "Jane");
		secret.put("token", "abc123");
		secret.put("card 4111 1111 1111 1111", "x");
		SentryEvent second = new SentryEvent();
		second.getContexts().put("login", secret);
		this.scrubber.scrub(second);

		assertThat(asMap(second.getContexts().get("login"))).containsEntry("token_type", "bearer")
			.containsEntry("author", "Jane")
			.containsEntry("token", FILTERED)
			.containsEntry("card " + FILTERED, "x")
			.hasSize(4);
	}

	@Test
	void everyConcurrentMapOfTheEventIsScrubbedInPlace() {
		SentryEvent event = new SentryEvent();
		event.setTag("session", "s3cr3t-session");
		event.setTag("region", "eu");
		event.setExtra("apiKey", "k-123");
		event.setExtra("note", "login with password=hunter2");
		event.setExtra("nested", new LinkedHashMap<>(Map.of("secret", "x")));
		Request request = new Request();
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Accept", "application/json");
		headers.put("Authorization", "Bearer abcDEF123456ghi");
		headers.put("X-Note", "token=abc123");
		request.setHeaders(headers);
		event.setRequest(request);
		List<Breadcrumb> breadcrumbs = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Breadcrumb breadcrumb = new Breadcrumb("step " + i);
			breadcrumb.setData("url", "https://example.com/a?access_token=abc" + i);
			breadcrumb.setData("cookie", "JSESSIONID=" + i);
			breadcrumb.setData("status_code", 200);
			breadcrumbs.add(breadcrumb);
		}
		event.setBreadcrumbs(breadcrumbs);

		this.scrubber.scrub(event);

		assertThat(event.getTags()).containsEntry("session", FILTERED).containsEntry("region", "eu");
		assertThat(event.getExtras()).containsEntry("apiKey", FILTERED)
			.containsEntry("note", "login with password=" + FILTERED);
		assertThat(asMap(event.getExtras().get("nested"))).containsEntry("secret", FILTERED);
		assertThat(event.getRequest().getHeaders()).containsEntry("Accept", "application/json")
			.containsEntry("Authorization", FILTERED)
			.containsEntry("X-Note", "token=" + FILTERED);
		for (int i = 0; i < 3; i++) {
			assertThat(event.getBreadcrumbs().get(i).getData())
				.containsEntry("url", "https://example.com/a?access_token=" + FILTERED)
				.containsEntry("cookie", FILTERED)
				.containsEntry("status_code", 200);
		}
	}

	@Test
	void sensitiveSlotOfALogMessageIsFoundPastTheFirstSlots() {
		// Slot markers for the first few parameters are made once; later ones as needed.
		StringBuilder template = new StringBuilder();
		List<String> params = new ArrayList<>();
		for (int i = 0; i < 11; i++) {
			template.append("v").append(i).append("={} ");
			params.add("p" + i);
		}
		template.append("password={}");
		params.add("hunter2");
		Message message = new Message();
		message.setMessage(template.toString());
		message.setParams(params);
		SentryEvent event = new SentryEvent();
		event.setMessage(message);

		this.scrubber.scrub(event);

		assertThat(event.getMessage().getMessage()).startsWith("v0={} v1={}").doesNotContain("sentryslot");
		assertThat(event.getMessage().getParams()).hasSize(12).startsWith("p0", "p1").endsWith("p10", FILTERED);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> asMap(Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

}
