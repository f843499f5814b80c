package dev.sentryboot.autoconfigure.scrub;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import io.sentry.Breadcrumb;
import io.sentry.JsonSerializer;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import io.sentry.protocol.SentryException;
import io.sentry.protocol.User;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Odd data must neither break the scrubber nor slip through it: every test hands it something
 * hostile and then reads what the SDK's own serializer would send. The time limit only turns a
 * hang into a failure; it is not a performance claim.
 */
class SentryDataScrubberRobustnessTests {

	private static final Duration HANG_GUARD = Duration.ofSeconds(20);

	private static final String FILTERED = "[Filtered]";

	// The bounds of the contract, spelled out here so the tests say what they check.
	private static final int MAX_DEPTH = 16;

	private static final int MAX_ENTRIES = 1000;

	private static final int MAX_VALUES = 20_000;

	/** 16 KiB of text plus room for a truncation marker. */
	private static final int MAX_TEXT = 16 * 1024 + 64;

	private final SentryDataScrubber scrubber = SentryDataScrubber.builder().build();

	private final JsonSerializer serializer = new JsonSerializer(new SentryOptions());

	@Test
	void cutsCyclesInExtrasContextsAndRequestData() {
		assertTimeoutPreemptively(HANG_GUARD, () -> {
			Map<String, Object> map = new HashMap<>();
			List<Object> list = new ArrayList<>();
			map.put("name", "loop");
			map.put("self", map);
			map.put("list", list);
			list.add("item");
			list.add(list);
			list.add(map);
			Object[] array = new Object[2];
			array[0] = "element";
			array[1] = array;
			SentryEvent event = new SentryEvent();
			event.setExtra("map", map);
			event.setExtra("list", list);
			event.setExtra("array", array);
			event.getContexts().put("loop", map);
			event.getContexts().put("loopList", list);
			Request request = new Request();
			request.setData(map);
			event.setRequest(request);
			Breadcrumb breadcrumb = new Breadcrumb("cycle ahead");
			breadcrumb.setData("loop", map);
			event.addBreadcrumb(breadcrumb);

			scrub(event);

			Map<?, ?> extraMap = (Map<?, ?>) event.getExtras().get("map");
			assertThat(extraMap.get("name")).isEqualTo("loop");
			assertCut(extraMap.get("self"));
			assertThat(asMap(event.getContexts().get("loop")).get("name")).isEqualTo("loop");
			assertThat(asMap(event.getRequest().getData()).get("name")).isEqualTo("loop");
			assertThat(depth(event.getExtras())).isLessThanOrEqualTo(MAX_DEPTH + 1);
			assertThat(depth(event.getContexts().get("loop"))).isLessThanOrEqualTo(MAX_DEPTH + 1);
			assertThat(depth(event.getContexts().get("loopList"))).isLessThanOrEqualTo(MAX_DEPTH + 1);
			assertThat(depth(event.getRequest().getData())).isLessThanOrEqualTo(MAX_DEPTH + 1);
			assertThat(depth(event.getBreadcrumbs().get(0).getData())).isLessThanOrEqualTo(MAX_DEPTH + 1);
			assertThat(json(event)).contains("\"loop\"", "\"item\"", "\"element\"");

			Breadcrumb alone = new Breadcrumb("cycle ahead");
			alone.setData("loop", map);
			assertThat(this.scrubber.scrub(alone)).isSameAs(alone);
			assertThat(depth(alone.getData())).isLessThanOrEqualTo(MAX_DEPTH + 1);
		});
	}

	@Test
	void cutsMegabyteTextAndRemovesItsSecrets() {
		assertTimeoutPreemptively(HANG_GUARD, () -> {
			String huge = megabyteOfText();
			SentryEvent event = new SentryEvent();
			event.setMessage(formatted(huge));
			event.setExceptions(List.of(exception(huge)));
			event.setExtra("body", huge);
			event.setTag("note", huge);
			event.getContexts().put("order", new HashMap<>(Map.of("log", huge)));
			Request request = new Request();
			request.setHeaders(Map.of("X-Debug", huge));
			request.setQueryString(huge);
			request.setData(huge);
			event.setRequest(request);
			User user = new User();
			user.setData(Map.of("note", huge));
			event.setUser(user);
			Breadcrumb breadcrumb = new Breadcrumb(huge);
			breadcrumb.setData("log", huge);
			event.addBreadcrumb(breadcrumb);

			scrub(event);

			List<@Nullable Object> fields = new ArrayList<>();
			fields.add(event.getMessage().getFormatted());
			fields.add(event.getExceptions().get(0).getValue());
			fields.add(event.getExtras().get("body"));
			fields.add(event.getTags().get("note"));
			fields.add(((Map<?, ?>) event.getContexts().get("order")).get("log"));
			fields.add(event.getRequest().getHeaders().get("X-Debug"));
			fields.add(event.getRequest().getQueryString());
			fields.add(event.getRequest().getData());
			fields.add(event.getUser().getData().get("note"));
			fields.add(event.getBreadcrumbs().get(0).getMessage());
			fields.add(event.getBreadcrumbs().get(0).getData().get("log"));
			for (Object field : fields) {
				assertThat(field).isInstanceOf(String.class);
				assertThat(((String) field).length()).isLessThanOrEqualTo(MAX_TEXT);
				assertThat((String) field).doesNotContain("hunter2").doesNotContain("token=abc");
			}
			String json = json(event);
			assertThat(json).doesNotContain("hunter2").doesNotContain("token=abc");
			assertThat(json.length()).isLessThan(fields.size() * MAX_TEXT + 16 * 1024);
		});
	}

	@Test
	void survivesInvalidUnicodeControlCharactersAndBinaryGarbage() {
		assertTimeoutPreemptively(HANG_GUARD, () -> {
			Random random = new Random(7);
			for (int round = 0; round < 20; round++) {
				String garbage = garbage(random);
				String text = garbage + " password=hunter2 " + garbage + " Authorization: Bearer abcdef123456\n"
						+ garbage;
				SentryEvent event = new SentryEvent();
				Message message = formatted(text);
				message.setMessage(garbage + " %s");
				message.setParams(List.of(text));
				event.setMessage(message);
				event.setExceptions(List.of(exception(text)));
				Request request = new Request();
				request.setHeaders(Map.of("X-Garbage", text, garbage, text));
				request.setUrl("https://shop.example.com/" + garbage + "?password=hunter2");
				event.setRequest(request);
				event.setExtra("garbage", text);
				event.setTag("garbage", text);
				event.addBreadcrumb(new Breadcrumb(text));
				Breadcrumb withData = new Breadcrumb(garbage);
				withData.setData(garbage, text);
				event.addBreadcrumb(withData);

				scrub(event);

				assertThat(event.getMessage().getFormatted()).contains(FILTERED).doesNotContain("hunter2");
				assertThat(event.getRequest().getHeaders().get("X-Garbage")).contains(FILTERED)
					.doesNotContain("hunter2");
				assertThat(event.getBreadcrumbs().get(0).getMessage()).contains(FILTERED)
					.doesNotContain("hunter2");
				assertThat(json(event)).doesNotContain("hunter2").doesNotContain("abcdef123456");
			}
		});
	}

	@Test
	void survivesSurrogatePairCutAtTheTextLimit() {
		assertTimeoutPreemptively(HANG_GUARD, () -> {
			// 16 KiB falls in the middle of a pair: the cut leaves a lone high surrogate.
			String emoji = "x" + "\uD83D\uDE00".repeat(20_000);
			SentryEvent event = new SentryEvent();
			event.setMessage(formatted(emoji));
			event.setExtra("emoji", emoji);

			scrub(event);

			assertThat(event.getMessage().getFormatted().length()).isLessThanOrEqualTo(MAX_TEXT);
			assertThat(json(event)).contains("\"emoji\"");
		});
	}

	@Test
	void replacesBinaryAndPrimitiveArrays() {
		assertTimeoutPreemptively(HANG_GUARD, () -> {
			byte[] bytes = "password=hunter2".getBytes(StandardCharsets.UTF_8);
			int[] ints = { 4111, 1111, 1111, 1111 };
			char[] chars = "hunter2".toCharArray();
			long[] longs = { 4111111111111111L };
			SentryEvent event = new SentryEvent();
			event.setExtra("upload", bytes);
			event.setExtra("ints", ints);
			event.setExtra("chars", chars);
			event.setExtra("longs", longs);
			event.setExtra("nested", new ArrayList<>(List.of(bytes, ints)));
			event.getContexts().put("payload", new HashMap<>(Map.of("bytes", bytes, "ints", ints)));
			Request request = new Request();
			request.setData(bytes);
			event.setRequest(request);
			Breadcrumb breadcrumb = new Breadcrumb("upload");
			breadcrumb.setData("bytes", bytes);
			breadcrumb.setData("ints", ints);
			breadcrumb.setData("chars", chars);
			event.addBreadcrumb(breadcrumb);

			scrub(event);

			assertCut(event.getExtras().get("upload"));
			assertCut(event.getExtras().get("ints"));
			assertCut(event.getExtras().get("chars"));
			assertCut(event.getExtras().get("longs"));
			assertThat((List<?>) event.getExtras().get("nested")).allSatisfy(SentryDataScrubberRobustnessTests::assertCut);
			Map<?, ?> payload = (Map<?, ?>) event.getContexts().get("payload");
			assertCut(payload.get("bytes"));
			assertCut(payload.get("ints"));
			assertCut(event.getRequest().getData());
			Map<String, Object> data = event.getBreadcrumbs().get(0).getData();
			assertCut(data.get("bytes"));
			assertCut(data.get("ints"));
			assertCut(data.get("chars"));
			String json = json(event);
			// How byte[] (112,97,115,...), int[] and char[] would look once serialized.
			assertThat(json).doesNotContain("112,97,115").doesNotContain("4111,1111").doesNotContain("hunter2")
				.doesNotContain("\"h\",\"u\"").doesNotContain("4111111111111111");
		});
	}

	@Test
	void capsMapWithTenThousandKeysAndRemovesItsSecrets() {
		assertTimeoutPreemptively(HANG_GUARD, () -> {
			String[] sensitive = { "X-Auth-Token", "user_password", "apiKey", "client-secret", "SESSIONID",
					"password" };
			Map<String, Object> big = new LinkedHashMap<>();
			Map<String, String> headers = new LinkedHashMap<>();
			List<Object> list = new ArrayList<>();
			for (int i = 0; i < 10_000; i++) {
				if (i % 7 == 0) {
					String key = sensitive[(i / 7) % sensitive.length] + "." + i;
					big.put(key, "sv-secret-" + i);
					headers.put(key, "sv-secret-" + i);
				}
				else {
					big.put("field" + i, "value-" + i);
					headers.put("X-Field-" + i, "value-" + i);
				}
				list.add("password=sv-secret-" + i);
			}
			SentryEvent event = new SentryEvent();
			event.setExtra("big", big);
			event.setExtra("list", list);
			event.getContexts().put("big", big);
			Request request = new Request();
			request.setHeaders(headers);
			request.setData(big);
			event.setRequest(request);

			scrub(event);

			Map<String, Object> scrubbedBig = asMap(event.getExtras().get("big"));
			assertThat(scrubbedBig.size()).isLessThanOrEqualTo(MAX_ENTRIES);
			assertThat(scrubbedBig.get("field1")).isEqualTo("value-1");
			assertThat(((List<?>) event.getExtras().get("list")).size()).isLessThanOrEqualTo(MAX_ENTRIES);
			assertThat(asMap(event.getContexts().get("big")).size()).isLessThanOrEqualTo(MAX_ENTRIES);
			assertThat(event.getRequest().getHeaders().size()).isLessThanOrEqualTo(MAX_ENTRIES);
			assertThat(asMap(event.getRequest().getData()).size()).isLessThanOrEqualTo(MAX_ENTRIES);
			assertThat(json(event)).doesNotContain("sv-secret-").contains("value-1");
		});
	}

	@Test
	void capsTenThousandLevelsOfNesting() {
		assertTimeoutPreemptively(HANG_GUARD, () -> {
			Map<String, Object> root = new HashMap<>();
			Map<String, Object> current = root;
			for (int level = 0; level < 10_000; level++) {
				Map<String, Object> child = new HashMap<>();
				current.put("note", "level " + level + " password=deep" + level + "x");
				current.put("child", child);
				current = child;
			}
			current.put("bottom", "bottom-secret");
			List<Object> rootList = new ArrayList<>();
			List<Object> currentList = rootList;
			for (int level = 0; level < 10_000; level++) {
				List<Object> child = new ArrayList<>();
				currentList.add(child);
				currentList = child;
			}
			currentList.add("bottom-secret");
			SentryEvent event = new SentryEvent();
			event.getContexts().put("deep", root);
			event.setExtra("deepList", rootList);

			scrub(event);

			Object deep = event.getContexts().get("deep");
			assertThat(depth(deep)).isLessThanOrEqualTo(MAX_DEPTH + 1);
			assertThat(((Map<?, ?>) deep).get("note")).asString().startsWith("level 0 password=" + FILTERED);
			assertThat(depth(event.getExtras())).isLessThanOrEqualTo(MAX_DEPTH + 1);
			assertThat(json(event)).doesNotContain("bottom-secret").doesNotContain("password=deep");
		});
	}

	@ParameterizedTest
	@EnumSource(Failure.class)
	void replacesObjectWhoseToStringThrows(Failure failure) {
		assertTimeoutPreemptively(HANG_GUARD, () -> {
			Object hostile = new ScrubHostile(failure);
			SentryEvent event = new SentryEvent();
			event.setExtra("hostile", hostile);
			event.setExtra("nested", new HashMap<>(Map.of("hostile", hostile)));
			event.getContexts().put("hostile", hostile);
			event.getContexts().put("holder", new HashMap<>(Map.of("hostile", hostile)));
			Request request = new Request();
			request.setData(hostile);
			event.setRequest(request);
			Breadcrumb breadcrumb = new Breadcrumb("hostile");
			breadcrumb.setData("hostile", hostile);
			event.addBreadcrumb(breadcrumb);

			assertThat(this.scrubber.scrub(event)).isSameAs(event);

			if (event.getExtras() != null) {
				assertCut(event.getExtras().get("hostile"));
			}
			assertCut(event.getContexts().get("hostile"));
			if (event.getRequest() != null) {
				assertCut(event.getRequest().getData());
			}
			assertCut(event.getBreadcrumbs().get(0).getData().get("hostile"));
			assertThat(json(event)).doesNotContain("hunter2");
		});
	}

	@Test
	void cutsObjectWhoseToStringIsHuge() {
		assertTimeoutPreemptively(HANG_GUARD, () -> {
			Object huge = new Object() {

				@Override
				public String toString() {
					return megabyteOfText();
				}

			};
			SentryEvent event = new SentryEvent();
			event.setExtra("huge", huge);
			event.getContexts().put("holder", new HashMap<>(Map.of("huge", huge)));
			Request request = new Request();
			request.setData(huge);
			event.setRequest(request);
			Breadcrumb breadcrumb = new Breadcrumb("huge");
			breadcrumb.setData("huge", huge);
			event.addBreadcrumb(breadcrumb);

			assertThat(this.scrubber.scrub(event)).isSameAs(event);

			List<@Nullable Object> fields = new ArrayList<>();
			fields.add((event.getExtras() != null) ? event.getExtras().get("huge") : null);
			Object holder = event.getContexts().get("holder");
			fields.add((holder instanceof Map<?, ?> map) ? map.get("huge") : holder);
			fields.add((event.getRequest() != null) ? event.getRequest().getData() : null);
			fields.add(event.getBreadcrumbs().get(0).getData().get("huge"));
			for (Object field : fields) {
				if (field != null) {
					assertThat(field).isInstanceOf(String.class);
					assertThat(((String) field).length()).isLessThanOrEqualTo(MAX_TEXT);
				}
			}
			assertThat(json(event)).doesNotContain("hunter2").doesNotContain("token=abc");
		});
	}

	@Test
	void randomEventsNeverLeakPlantedSecrets() {
		assertTimeoutPreemptively(HANG_GUARD, () -> {
			Map<String, List<String>> leaks = new TreeMap<>();
			Map<String, Integer> checked = new TreeMap<>();
			for (int iteration = 0; iteration < 200; iteration++) {
				long seed = 1_000 + iteration;
				ScrubEventGenerator generator = new ScrubEventGenerator(new Random(seed));
				SentryEvent event = generator.event();
				String json;
				try {
					assertThat(this.scrubber.scrub(event)).isSameAs(event);
					json = json(event);
				}
				catch (RuntimeException | Error ex) {
					leaks.computeIfAbsent("threw " + ex.getClass().getName(), (kind) -> new ArrayList<>())
						.add("seed " + seed + ": " + ex);
					continue;
				}
				generator.planted().forEach((secret, kind) -> {
					checked.merge(kind, 1, Integer::sum);
					int at = json.indexOf(secret);
					if (at >= 0) {
						String around = json.substring(Math.max(0, at - 90),
								Math.min(json.length(), at + secret.length() + 30));
						leaks.computeIfAbsent(kind, (k) -> new ArrayList<>())
							.add("seed " + seed + ": '" + secret + "' in ..." + printable(around) + "...");
					}
				});
			}
			StringBuilder report = new StringBuilder();
			leaks.forEach((kind, found) -> report.append('\n')
				.append(kind)
				.append(": ")
				.append(found.size())
				.append(" leak(s), e.g.\n  ")
				.append(String.join("\n  ", found.subList(0, Math.min(3, found.size())))));
			assertThat(leaks).as("planted secrets found in serialized events:%s%nsecrets checked: %s", report, checked)
				.isEmpty();
		});
	}

	@Test
	void keepsHarmlessNeighboursOfSecrets() {
		assertTimeoutPreemptively(HANG_GUARD, () -> {
			String text = "order order-12345 by author Jane Austen (authority db.example.com), account 123456789012, "
					+ "reference 4111111111111112, token_type=bearer";
			String query = "order=order-12345&author=jane&authority=db&token_type=bearer&account=123456789012";
			SentryEvent event = new SentryEvent();
			event.setMessage(formatted(text));
			event.setExtra("token_type", "bearer");
			event.setExtra("author", "Jane Austen");
			event.setExtra("authority", "db.example.com");
			event.setExtra("orderId", "order-12345");
			event.setExtra("account", "123456789012");
			event.setExtra("reference", "4111111111111112");
			event.setExtra("accountNumber", 123456789012L);
			event.setExtra("details", new HashMap<>(Map.of("token_type", "bearer", "author", "Jane Austen",
					"authority", "db.example.com", "note", text)));
			event.setTag("token_type", "bearer");
			event.setTag("author", "Jane Austen");
			event.setTag("authority", "db.example.com");
			Request request = new Request();
			request.setQueryString(query);
			request.setHeaders(Map.of("X-Author", "Jane Austen", "X-Order", "order-12345"));
			event.setRequest(request);
			Breadcrumb breadcrumb = new Breadcrumb(text);
			breadcrumb.setData("author", "Jane Austen");
			event.addBreadcrumb(breadcrumb);

			scrub(event);

			assertThat(event.getMessage().getFormatted()).isEqualTo(text);
			assertThat(event.getExtras()).containsEntry("token_type", "bearer")
				.containsEntry("author", "Jane Austen")
				.containsEntry("authority", "db.example.com")
				.containsEntry("orderId", "order-12345")
				.containsEntry("account", "123456789012")
				.containsEntry("reference", "4111111111111112")
				.containsEntry("accountNumber", 123456789012L);
			assertThat(asMap(event.getExtras().get("details"))).containsEntry("token_type", "bearer")
				.containsEntry("author", "Jane Austen")
				.containsEntry("authority", "db.example.com")
				.containsEntry("note", text);
			assertThat(event.getTags()).containsEntry("token_type", "bearer")
				.containsEntry("author", "Jane Austen")
				.containsEntry("authority", "db.example.com");
			assertThat(event.getRequest().getQueryString()).isEqualTo(query);
			assertThat(event.getRequest().getHeaders()).containsEntry("X-Author", "Jane Austen")
				.containsEntry("X-Order", "order-12345");
			assertThat(event.getBreadcrumbs().get(0).getMessage()).isEqualTo(text);
			assertThat(event.getBreadcrumbs().get(0).getData()).containsEntry("author", "Jane Austen");
		});
	}

	// The tests below pin what the tests above turned up, each with its smallest input.

	@Test
	void removesCardNumberNextToAnotherNumber() {
		assertTimeoutPreemptively(HANG_GUARD, () -> {
			assertThat(this.scrubber.scrubText("card 4111 1111 1111 1111 123")).doesNotContain("4111 1111 1111 1111");
			assertThat(this.scrubber.scrubText("order-12345 4111-1111-1111-1111"))
				.doesNotContain("4111-1111-1111-1111");
			assertThat(this.scrubber.scrubText("paid 4111111111111111 100")).doesNotContain("4111111111111111");
		});
	}

	@Test
	void removesSecretsAfterTheWordBearer() {
		assertTimeoutPreemptively(HANG_GUARD, () -> {
			assertThat(this.scrubber.scrubText("token_type=bearer access_token=xyz123 expires_in=3600"))
				.doesNotContain("xyz123")
				.contains("expires_in=3600");
			assertThat(this.scrubber.scrubText("token_type=bearer Bearer abcdef123456")).doesNotContain("abcdef123456");
			assertThat(this.scrubber.scrubText("token_type=bearer password=\"hunter2\"")).doesNotContain("hunter2");
		});
	}

	@Test
	void removesQuotedSecretAfterColonPairWithSpaces() {
		assertTimeoutPreemptively(HANG_GUARD, () -> {
			assertThat(this.scrubber.scrubText("Authorization: Basic dXNlcjpwYXNz password=\"hunter2\""))
				.doesNotContain("hunter2");
			assertThat(this.scrubber.scrubText("secret: none password='hunter2'")).doesNotContain("hunter2");
		});
	}

	@Test
	void removesArrayAndObjectValuesOfSensitiveJsonKeys() {
		assertTimeoutPreemptively(HANG_GUARD, () -> {
			SentryEvent event = new SentryEvent();
			Request request = new Request();
			request.setData("{\"user\":\"bob\",\"password\":[\"hunter2\"],\"secret\":{\"value\":\"s3cr3t-v\"}}");
			event.setRequest(request);

			scrub(event);

			assertThat(json(event)).contains("bob").doesNotContain("hunter2").doesNotContain("s3cr3t-v");
		});
	}

	@Test
	void removesSecretsFromJsonEscapedInsideText() {
		assertTimeoutPreemptively(HANG_GUARD, () -> {
			SentryEvent event = new SentryEvent();
			event.setExtra("message", "{\"body\":\"{\\\"user\\\":\\\"bob\\\",\\\"password\\\":\\\"hunter2\\\"}\"}");

			scrub(event);

			assertThat(json(event)).contains("bob").doesNotContain("hunter2");
		});
	}

	@Test
	void capsValuesVisitedPerEvent() {
		assertTimeoutPreemptively(HANG_GUARD, () -> {
			Map<String, Object> many = new LinkedHashMap<>();
			for (int i = 0; i < 50; i++) {
				List<String> values = new ArrayList<>();
				for (int j = 0; j < 1000; j++) {
					values.add("v-" + i + "-" + j);
				}
				many.put("list" + i, values);
			}
			SentryEvent event = new SentryEvent();
			event.setExtra("many", many);

			scrub(event);

			String json = json(event);
			int sent = 0;
			for (int at = json.indexOf("\"v-"); at >= 0; at = json.indexOf("\"v-", at + 1)) {
				sent++;
			}
			assertThat(sent).as("values sent of 50,000").isLessThanOrEqualTo(MAX_VALUES);
		});
	}

	@Test
	void capsBreadcrumbDataEntries() {
		assertTimeoutPreemptively(HANG_GUARD, () -> {
			Breadcrumb breadcrumb = new Breadcrumb("big");
			for (int i = 0; i < 10_000; i++) {
				breadcrumb.setData("field" + i, "value-" + i);
			}
			SentryEvent event = new SentryEvent();
			event.addBreadcrumb(breadcrumb);

			scrub(event);

			assertThat(event.getBreadcrumbs().get(0).getData().size()).as("entries of 10,000 left")
				.isLessThanOrEqualTo(MAX_ENTRIES);
		});
	}

	private SentryEvent scrub(SentryEvent event) {
		SentryEvent scrubbed = this.scrubber.scrub(event);
		assertThat(scrubbed).isSameAs(event);
		return scrubbed;
	}

	/** The event as the SDK would send it. */
	private String json(SentryEvent event) {
		StringWriter writer = new StringWriter();
		try {
			this.serializer.serialize(event, writer);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return writer.toString();
	}

	/** Escapes what would garble a test report: controls, surrogates, anything beyond ASCII. */
	private static String printable(String text) {
		StringBuilder printable = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c >= 0x20 && c < 0x7F) {
				printable.append(c);
			}
			else {
				printable.append(String.format("\\u%04x", (int) c));
			}
		}
		return printable.toString();
	}

	private static void assertCut(@Nullable Object value) {
		assertThat(value == null || FILTERED.equals(value))
			.as("expected [Filtered] or nothing, was a %s", (value != null) ? value.getClass().getName() : null)
			.isTrue();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> asMap(@Nullable Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	private static Message formatted(String text) {
		Message message = new Message();
		message.setFormatted(text);
		return message;
	}

	private static SentryException exception(String value) {
		SentryException exception = new SentryException();
		exception.setType("IllegalStateException");
		exception.setModule("java.lang");
		exception.setValue(value);
		return exception;
	}

	private static String megabyteOfText() {
		StringBuilder text = new StringBuilder(1 << 20);
		text.append("login failed: password=hunter2 for bob; ");
		while (text.length() < 20 * 1024) {
			text.append("lorem ipsum dolor sit amet ");
		}
		text.append("token=abc ");
		while (text.length() < (1 << 20)) {
			text.append("consectetur adipiscing elit ");
		}
		return text.toString();
	}

	private static String garbage(Random random) {
		StringBuilder text = new StringBuilder();
		text.append('\uD800').append('a').append('\uDFFF').append('\uDC00').append('\uD800');
		text.append('\u0000').append('\u0001').append('\u001B').append("[31m").append('\u007F');
		text.append('\u2028').append('\uFEFF').append('\uFFFF').append('\r').append('\b');
		byte[] bytes = new byte[64 + random.nextInt(192)];
		random.nextBytes(bytes);
		text.append(new String(bytes, StandardCharsets.ISO_8859_1));
		random.nextBytes(bytes);
		text.append(new String(bytes, StandardCharsets.UTF_8));
		return text.toString();
	}

	/**
	 * Nesting depth of maps, collections and arrays; a cycle counts as endless. Children are
	 * visited only below the cap, so what is left of 10,000 levels is never walked to the end.
	 */
	private static int depth(@Nullable Object value) {
		return depth(value, new IdentityHashMap<>(), 0);
	}

	private static int depth(@Nullable Object value, Map<Object, Boolean> path, int level) {
		Collection<?> children;
		if (value instanceof Map<?, ?> map) {
			children = map.values();
		}
		else if (value instanceof Collection<?> collection) {
			children = collection;
		}
		else if (value instanceof Object[] array) {
			children = Arrays.asList(array);
		}
		else {
			return level;
		}
		if (path.put(value, Boolean.TRUE) != null || level > 64) {
			return Integer.MAX_VALUE;
		}
		int deepest = level + 1;
		for (Object child : children) {
			deepest = Math.max(deepest, depth(child, path, level + 1));
		}
		path.remove(value);
		return deepest;
	}

	enum Failure {

		/** The usual case. */
		RUNTIME,

		/** Kotlin code, or Java with a sneaky throw, can throw a checked exception from toString(). */
		CHECKED,

		/** A toString() that walks a cyclic graph. */
		STACK_OVERFLOW

	}

	private static final class ScrubHostile {

		private final Failure failure;

		ScrubHostile(Failure failure) {
			this.failure = failure;
		}

		@Override
		public String toString() {
			switch (this.failure) {
				case RUNTIME -> throw new IllegalStateException("cannot render password=hunter2");
				case CHECKED -> throw sneaky(new IOException("cannot render password=hunter2"));
				default -> throw new StackOverflowError("password=hunter2");
			}
		}

		@SuppressWarnings("unchecked")
		private static <E extends Throwable> RuntimeException sneaky(Throwable ex) throws E {
			throw (E) ex;
		}

	}

	/**
	 * Random events from a small grammar: text made of secrets, harmless fragments and noise;
	 * nested maps, lists and arrays under harmless and sensitive keys. Remembers every secret it
	 * plants so the test can look for it in what would be sent.
	 */
	private static final class ScrubEventGenerator {

		private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.abc";

		private static final String[] SENSITIVE_KEYS = { "X-Auth-Token", "user_password", "apiKey", "client-secret",
				"SESSIONID", "password", "secret", "access_token", "refreshToken", "Authorization" };

		private static final Set<String> SENSITIVE = Set.of(SENSITIVE_KEYS);

		private static final String[] HARMLESS_KEYS = { "id", "name", "status", "count", "author", "authority",
				"token_type", "orderId", "url", "note", "items", "payload", "description", "path" };

		private static final String[] SENSITIVE_HEADERS = { "Authorization", "Cookie", "X-Auth-Token", "X-Api-Key",
				"Proxy-Authorization" };

		private static final String[] HARMLESS_HEADERS = { "Accept", "User-Agent", "X-Request-Id", "Content-Type",
				"X-Debug" };

		private static final String[] TEXT_KEYS = { "password", "user_password", "api_key", "client-secret",
				"SESSIONID", "X-Auth-Token", "access_token", "secret", "apiKey" };

		private static final String[] JSON_KEYS = { "secret", "password", "apiKey", "client_secret", "accessToken" };

		private static final String[] CARDS = { "4111-1111-1111-1111", "4111 1111 1111 1111", "4111111111111111",
				"5500 0000 0000 0004", "378282246310005" };

		private static final String[] HARMLESS = { "order-12345", "user bob logged in", "GET /api/orders?page=2&size=50",
				"took 35 ms", "author Jane Austen", "authority db.example.com", "token_type=bearer",
				"account 123456789012", "ref 4111111111111112", "retry 3 of 5", "status=200",
				"basic authentication required", "token expired", "ok", "{\"user\": \"bob\", \"count\": 3}" };

		private static final String[] SEPARATORS = { " ", " ", " ", ", ", "; ", "\n", " | ", "\t" };

		private static final String TOKEN_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

		private final Random random;

		private final Map<String, String> planted = new LinkedHashMap<>();

		ScrubEventGenerator(Random random) {
			this.random = random;
		}

		/** Secret value to the kind of fragment it was planted in. */
		Map<String, String> planted() {
			return this.planted;
		}

		SentryEvent event() {
			SentryEvent event = new SentryEvent();
			Message message = formatted(text());
			if (this.random.nextBoolean()) {
				message.setMessage(text());
				message.setParams(List.of(text(), text()));
			}
			event.setMessage(message);
			List<SentryException> exceptions = new ArrayList<>();
			for (int i = this.random.nextInt(3); i >= 0; i--) {
				exceptions.add(exception(text()));
			}
			event.setExceptions(exceptions);
			event.setTransaction(text());
			for (int i = this.random.nextInt(5); i >= 0; i--) {
				String key = key();
				Object value = valueFor(key, 0);
				if (value != null) {
					event.setExtra(key, value);
				}
			}
			for (int i = this.random.nextInt(4); i >= 0; i--) {
				String key = key();
				event.setTag(key, isSensitive(key) ? plant("tag under sensitive key", token(12)) : text());
			}
			for (int i = this.random.nextInt(3); i >= 0; i--) {
				String name = key();
				Object context = isSensitive(name) ? secretValue("context under sensitive name") : map(1);
				event.getContexts().put(name, context);
			}
			event.setRequest(request());
			User user = new User();
			user.setId("42");
			user.setUsername("bob");
			user.setData(stringMap());
			event.setUser(user);
			for (int i = this.random.nextInt(4); i >= 0; i--) {
				Breadcrumb breadcrumb = new Breadcrumb(text());
				breadcrumb.setCategory("http");
				for (int j = this.random.nextInt(3); j >= 0; j--) {
					String key = key();
					Object value = valueFor(key, 1);
					if (value != null) {
						breadcrumb.setData(key, value);
					}
				}
				event.addBreadcrumb(breadcrumb);
			}
			return event;
		}

		private Request request() {
			Request request = new Request();
			request.setMethod("POST");
			request.setUrl(switch (this.random.nextInt(3)) {
				case 0 -> "https://shop.example.com/checkout";
				case 1 -> "https://bob:" + plant("url credentials", token(10)) + "@shop.example.com/checkout";
				default -> "https://shop.example.com/checkout?" + pick(TEXT_KEYS) + "="
						+ plant("url query pair", token(10)) + "&page=2";
			});
			request.setQueryString("page=2&" + pick(TEXT_KEYS) + "=" + plant("query string pair", token(10))
					+ "&size=50&q=" + text());
			request.setCookies("theme=dark; JSESSIONID=" + plant("cookie", token(16)) + "; lang=en");
			Map<String, String> headers = new LinkedHashMap<>();
			for (int i = this.random.nextInt(5); i >= 0; i--) {
				if (this.random.nextBoolean()) {
					String value = this.random.nextBoolean() ? "Bearer " + token(20) : token(20);
					headers.put(pick(SENSITIVE_HEADERS), plantWhole("sensitive header", value));
				}
				else {
					headers.put(pick(HARMLESS_HEADERS), text());
				}
			}
			request.setHeaders(headers);
			request.setData(switch (this.random.nextInt(3)) {
				case 0 -> text();
				case 1 -> jsonBody();
				default -> map(1);
			});
			return request;
		}

		private Map<String, String> stringMap() {
			Map<String, String> map = new LinkedHashMap<>();
			for (int i = this.random.nextInt(4); i > 0; i--) {
				String key = key();
				map.put(key, isSensitive(key) ? plant("user data under sensitive key", token(12)) : text());
			}
			return map;
		}

		private @Nullable Object value(int depth) {
			int kind = this.random.nextInt((depth >= 4) ? 4 : 8);
			return switch (kind) {
				case 0, 1 -> text();
				case 2 -> this.random.nextInt(100_000);
				case 3 -> this.random.nextBoolean() ? Boolean.TRUE : null;
				case 4, 5 -> map(depth + 1);
				case 6 -> list(depth + 1);
				default -> list(depth + 1).toArray();
			};
		}

		private @Nullable Object valueFor(String key, int depth) {
			return isSensitive(key) ? secretValue("value under sensitive key") : value(depth);
		}

		/** A value that only its key gives away: nothing in it looks like a secret. */
		private Object secretValue(String kind) {
			return switch (this.random.nextInt(4)) {
				case 0, 1 -> plant(kind, token(12));
				case 2 -> new ArrayList<>(List.of(plant(kind, token(12)), plant(kind, token(12))));
				default -> new LinkedHashMap<>(Map.of("value", plant(kind, token(12)), "id", 7));
			};
		}

		private Map<String, Object> map(int depth) {
			Map<String, Object> map = new LinkedHashMap<>();
			for (int i = this.random.nextInt(5); i > 0; i--) {
				String key = key();
				map.put(key, valueFor(key, depth));
			}
			return map;
		}

		private List<@Nullable Object> list(int depth) {
			List<@Nullable Object> list = new ArrayList<>();
			for (int i = this.random.nextInt(5); i > 0; i--) {
				Object value = value(depth);
				if (value != null) {
					list.add(value);
				}
			}
			return list;
		}

		private String key() {
			return (this.random.nextInt(3) == 0) ? pick(SENSITIVE_KEYS) : pick(HARMLESS_KEYS);
		}

		private static boolean isSensitive(String key) {
			return SENSITIVE.contains(key);
		}

		private String text() {
			StringBuilder text = new StringBuilder();
			for (int i = this.random.nextInt(6); i >= 0; i--) {
				text.append(fragment());
				if (i > 0) {
					text.append(pick(SEPARATORS));
				}
			}
			return text.toString();
		}

		private String fragment() {
			return switch (this.random.nextInt(5)) {
				case 0, 1 -> secretFragment();
				case 2 -> noise();
				default -> pick(HARMLESS);
			};
		}

		private String secretFragment() {
			return switch (this.random.nextInt(10)) {
				case 0 -> {
					plant("JWT", "eyJzdWIiOiIxMjMifQ");
					yield switch (this.random.nextInt(3)) {
						case 0 -> JWT;
						case 1 -> "Authorization: Bearer " + JWT;
						default -> "jwt=" + JWT;
					};
				}
				case 1 -> "Bearer " + plant("bearer token",
						this.random.nextBoolean() ? "abcdef123456" : token(16) + this.random.nextInt(10));
				case 2 -> "card " + plant("card number", pick(CARDS));
				case 3 -> this.random.nextBoolean() ? "postgres://u:" + plant("url credentials", "p4ss") + "@db/x"
						: "jdbc:postgresql://app:" + plant("url credentials", token(10)) + "@db:5432/orders";
				case 4 -> plant("AWS access key id",
						this.random.nextBoolean() ? "AKIAIOSFODNN7EXAMPLE" : "AKIA" + upperToken(16));
				case 5, 6 -> pair();
				case 7 -> jsonBody();
				case 8 -> "https://api.example.com/v1/orders?page=2&access_token=" + plant("url query pair", token(10))
						+ "&size=50";
				default -> "theme=dark; JSESSIONID=" + plant("cookie", token(16)) + "; lang=en";
			};
		}

		private String pair() {
			String key = pick(TEXT_KEYS);
			String value = plant("key=value pair in text", "pw" + token(8));
			return switch (this.random.nextInt(5)) {
				case 0 -> key + "=" + value;
				case 1 -> key + ": " + value;
				case 2 -> key + " = " + value;
				case 3 -> key + "=\"" + value + "\"";
				default -> "'" + key + "': '" + value + "'";
			};
		}

		private String jsonBody() {
			return "{\"user\": \"bob\", \"" + pick(JSON_KEYS) + "\": \"" + plant("JSON body", token(12))
					+ "\", \"count\": 3}";
		}

		/** Printable and control characters, lone surrogates, Latin-1, CJK and emoji. */
		private String noise() {
			StringBuilder noise = new StringBuilder();
			for (int i = 1 + this.random.nextInt(24); i > 0; i--) {
				switch (this.random.nextInt(7)) {
					case 0 -> noise.append((char) (0x20 + this.random.nextInt(0x5F)));
					case 1 -> noise.append((char) this.random.nextInt(0x20));
					case 2 -> noise.append((char) (0xA0 + this.random.nextInt(0x60)));
					case 3 -> noise.append((char) (0xD800 + this.random.nextInt(0x800)));
					case 4 -> noise.append((char) (0x4E00 + this.random.nextInt(0x100)));
					case 5 -> noise.append("\uD83D\uDE00");
					default -> noise.append(this.random.nextBoolean() ? '\uFFFD' : '\u2028');
				}
			}
			return noise.toString();
		}

		private String plant(String kind, String secret) {
			this.planted.putIfAbsent(secret, kind);
			return secret;
		}

		/** A "Bearer x" header value is checked by its credential, the rest by the whole value. */
		private String plantWhole(String kind, String value) {
			plant(kind, value.startsWith("Bearer ") ? value.substring(7) : value);
			return value;
		}

		private String token(int length) {
			StringBuilder token = new StringBuilder(length);
			for (int i = 0; i < length; i++) {
				token.append(TOKEN_CHARS.charAt(this.random.nextInt(TOKEN_CHARS.length())));
			}
			return token.toString();
		}

		private String upperToken(int length) {
			StringBuilder token = new StringBuilder(length);
			for (int i = 0; i < length; i++) {
				token.append("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".charAt(this.random.nextInt(32)));
			}
			return token.toString();
		}

		private String pick(String[] values) {
			return values[this.random.nextInt(values.length)];
		}

	}

}
