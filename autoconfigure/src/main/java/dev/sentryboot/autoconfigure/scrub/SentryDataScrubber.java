package dev.sentryboot.autoconfigure.scrub;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.sentryboot.autoconfigure.SentryScrubber;
import io.sentry.Breadcrumb;
import io.sentry.SentryBaseEvent;
import io.sentry.SentryEvent;
import io.sentry.SpanContext;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import io.sentry.protocol.Response;
import io.sentry.protocol.SentryException;
import io.sentry.protocol.SentrySpan;
import io.sentry.protocol.SentryTransaction;
import io.sentry.protocol.User;
import org.jspecify.annotations.Nullable;

/**
 * Removes secrets and personal data from events, transactions and breadcrumbs wherever they sit:
 * the request (URL, query string, headers, cookies, body, env), extras, contexts at any depth,
 * tags, the user, breadcrumbs, exception values of every cause, log messages and their
 * parameters, span descriptions and data. A value goes when its key is sensitive
 * ({@link SensitiveKeys}) or when it looks like a secret whatever its key ({@link TextScrubber}).
 * <p>
 * Odd data never breaks it: depth, size and the number of values visited are capped, cycles are
 * cut, and a field that cannot be scrubbed is replaced, never passed through. Build one with
 * {@link #builder()}; {@link SentryDataScrubberCustomizer} beans adjust the built-in one.
 */
public final class SentryDataScrubber implements SentryScrubber {

	static final int MAX_DEPTH = 16;

	static final int MAX_ENTRIES = 1000;

	static final int MAX_VALUES = 20_000;

	private final SensitiveKeys keys;

	private final TextScrubber text;

	private final String replacement;

	private final boolean sendDefaultPii;

	private SentryDataScrubber(Builder builder) {
		this.keys = new SensitiveKeys(builder.keys, builder.safeKeys);
		this.replacement = builder.replacement;
		this.text = new TextScrubber(this.keys, builder.replacement, builder.patterns);
		this.sendDefaultPii = builder.sendDefaultPii;
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Whether a key (header, parameter, map key) names a secret.
	 */
	public boolean isSensitiveKey(String key) {
		return this.keys.isSensitive(key);
	}

	/**
	 * Free text with every secret it holds replaced.
	 */
	public String scrubText(String value) {
		try {
			return this.text.scrub(value);
		}
		catch (RuntimeException | StackOverflowError ex) {
			return this.replacement;
		}
	}

	@Override
	public SentryEvent scrub(SentryEvent event) {
		Walk walk = new Walk();
		scrubBase(event, walk);
		guard(() -> {
			if (event.getExceptions() != null) {
				for (SentryException exception : event.getExceptions()) {
					exception.setValue(text(exception.getValue()));
				}
			}
		}, () -> event.setExceptions(null));
		guard(() -> {
			Message message = event.getMessage();
			if (message != null) {
				String template = message.getMessage();
				List<String> params = (message.getParams() != null) ? message.getParams() : List.of();
				String marked = (template != null) ? markPlaceholders(template, params.size()) : null;
				String judged = (marked != null) ? scrubText(marked) : null;
				message.setFormatted(text(message.getFormatted()));
				message.setMessage((judged != null) ? unmark(judged, template, params.size()) : text(template));
				if (message.getParams() != null) {
					message.setParams(params(marked, judged, params));
				}
			}
		}, () -> event.setMessage(null));
		guard(() -> event.setTransaction(text(event.getTransaction())), () -> event.setTransaction(null));
		return event;
	}

	@Override
	public SentryTransaction scrub(SentryTransaction transaction) {
		Walk walk = new Walk();
		scrubBase(transaction, walk);
		List<SentrySpan> spans = transaction.getSpans();
		for (int i = 0; i < spans.size(); i++) {
			int index = i;
			guard(() -> spans.set(index, scrubSpan(spans.get(index), walk)), () -> spans.set(index,
					withDescription(spans.get(index), this.replacement, new LinkedHashMap<>(), null)));
		}
		return transaction;
	}

	@Override
	public Breadcrumb scrub(Breadcrumb breadcrumb) {
		scrubBreadcrumb(breadcrumb, new Walk());
		return breadcrumb;
	}

	private void scrubBase(SentryBaseEvent event, Walk walk) {
		guard(() -> event.setRequest(scrubRequest(event.getRequest(), walk)), () -> event.setRequest(null));
		guard(() -> event.setTags(stringMap(event.getTags())), () -> event.setTags(null));
		guard(() -> event.setExtras(objectMap(event.getExtras(), walk)), () -> event.setExtras(null));
		guard(() -> event.setUser(scrubUser(event.getUser())), () -> event.setUser(null));
		guard(() -> scrubContexts(event, walk), () -> event.getContexts().clear());
		List<Breadcrumb> breadcrumbs = event.getBreadcrumbs();
		if (breadcrumbs != null) {
			for (Breadcrumb breadcrumb : breadcrumbs) {
				scrubBreadcrumb(breadcrumb, walk);
			}
		}
	}

	private void scrubBreadcrumb(Breadcrumb breadcrumb, Walk walk) {
		guard(() -> breadcrumb.setMessage(text(breadcrumb.getMessage())),
				() -> breadcrumb.setMessage(this.replacement));
		Map<String, Object> data = breadcrumb.getData();
		guard(() -> data.replaceAll((key, value) -> keyed(key, value, 0, walk)), data::clear);
	}

	private @Nullable Request scrubRequest(@Nullable Request original, Walk walk) {
		if (original == null) {
			return null;
		}
		// A copy: the scope may share the request object with other events.
		Request request = new Request(original);
		request.setUrl(url(request.getUrl()));
		request.setQueryString(query(request.getQueryString()));
		request.setFragment(text(request.getFragment()));
		request.setCookies(text(request.getCookies()));
		request.setHeaders(stringMap(request.getHeaders()));
		request.setEnvs(stringMap(request.getEnvs()));
		request.setOthers(stringMap(request.getOthers()));
		request.setData(value(request.getData(), 0, walk));
		return request;
	}

	private @Nullable User scrubUser(@Nullable User original) {
		if (original == null) {
			return null;
		}
		User user = new User(original);
		if (!this.sendDefaultPii) {
			user.setIpAddress(null);
			user.setEmail(null);
		}
		user.setData(stringMap(user.getData()));
		return user;
	}

	private void scrubContexts(SentryBaseEvent event, Walk walk) {
		for (String name : Collections.list(event.getContexts().keys())) {
			Object context = event.getContexts().get(name);
			if (context instanceof SpanContext span) {
				span.setDescription(text(span.getDescription()));
				span.getData().replaceAll((key, value) -> keyed(key, value, 1, walk));
				span.getTags().replaceAll(this::keyedText);
			}
			else if (context instanceof Response response) {
				response.setHeaders(stringMap(response.getHeaders()));
				response.setCookies(text(response.getCookies()));
				response.setData(value(response.getData(), 1, walk));
			}
			else if (context != null && !isSdkContext(context)) {
				Object scrubbed = keyed(name, context, 0, walk);
				event.getContexts().put(name, (scrubbed != null) ? scrubbed : this.replacement);
			}
		}
	}

	// Device, OS, runtime, app and similar contexts are collected by the SDK itself.
	private static boolean isSdkContext(Object context) {
		return context.getClass().getName().startsWith("io.sentry.protocol.");
	}

	private SentrySpan scrubSpan(SentrySpan span, Walk walk) {
		span.getTags().replaceAll(this::keyedText);
		Map<String, Object> data = objectMap(span.getData(), walk);
		String description = text(span.getDescription());
		if (description == null || description.equals(span.getDescription())) {
			span.setData(data);
			return span;
		}
		return withDescription(span, description, span.getTags(), data);
	}

	private static SentrySpan withDescription(SentrySpan span, String description, Map<String, String> tags,
			@Nullable Map<String, Object> data) {
		return new SentrySpan(span.getStartTimestamp(), span.getTimestamp(), span.getTraceId(), span.getSpanId(),
				span.getParentSpanId(), span.getOp(), description, span.getStatus(), span.getOrigin(), tags,
				span.getMeasurements(), data);
	}

	private @Nullable Map<String, String> stringMap(@Nullable Map<String, String> map) {
		if (map == null) {
			return null;
		}
		Map<String, String> scrubbed = new LinkedHashMap<>(Math.min(map.size(), MAX_ENTRIES) * 2);
		for (Map.Entry<String, String> entry : map.entrySet()) {
			if (scrubbed.size() == MAX_ENTRIES) {
				break;
			}
			scrubbed.put(entry.getKey(), keyedText(entry.getKey(), entry.getValue()));
		}
		return scrubbed;
	}

	private @Nullable Map<String, Object> objectMap(@Nullable Map<String, Object> map, Walk walk) {
		if (map == null) {
			return null;
		}
		Map<String, Object> scrubbed = new LinkedHashMap<>(Math.min(map.size(), MAX_ENTRIES) * 2);
		for (Map.Entry<String, Object> entry : map.entrySet()) {
			if (scrubbed.size() == MAX_ENTRIES) {
				break;
			}
			scrubbed.put(entry.getKey(), keyed(entry.getKey(), entry.getValue(), 0, walk));
		}
		return scrubbed;
	}

	private @Nullable String keyedText(@Nullable String key, @Nullable String value) {
		if (value == null) {
			return null;
		}
		return (key != null && this.keys.isSensitive(key)) ? this.replacement : text(value);
	}

	private @Nullable Object keyed(@Nullable Object key, @Nullable Object value, int depth, Walk walk) {
		if (value == null) {
			return null;
		}
		if (key instanceof String name && this.keys.isSensitive(name)) {
			return this.replacement;
		}
		return value(value, depth, walk);
	}

	private @Nullable Object value(@Nullable Object value, int depth, Walk walk) {
		if (value == null || value instanceof Number || value instanceof Boolean || value instanceof Character
				|| value instanceof Enum<?> || value instanceof UUID) {
			return value;
		}
		if (value instanceof String string) {
			return text(string);
		}
		if (++walk.values > MAX_VALUES || depth >= MAX_DEPTH) {
			return this.replacement;
		}
		if (value instanceof Map<?, ?> || value instanceof Collection<?> || value instanceof Object[]) {
			if (walk.path.put(value, Boolean.TRUE) != null) {
				return this.replacement;
			}
			try {
				return container(value, depth, walk);
			}
			finally {
				walk.path.remove(value);
			}
		}
		if (value.getClass().isArray()) {
			// Binary and other primitive arrays cannot be told apart from secrets.
			return this.replacement;
		}
		// Anything else would be serialized field by field by the SDK: its text is what can be
		// checked, so the text is what is sent.
		return text(String.valueOf(value));
	}

	private Object container(Object value, int depth, Walk walk) {
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> scrubbed = new LinkedHashMap<>(Math.min(map.size(), MAX_ENTRIES) * 2);
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (scrubbed.size() == MAX_ENTRIES) {
					break;
				}
				String key = String.valueOf(entry.getKey());
				scrubbed.put(key, keyed(key, entry.getValue(), depth + 1, walk));
			}
			return scrubbed;
		}
		Iterable<?> items = (value instanceof Collection<?> collection) ? collection : List.of((Object[]) value);
		List<Object> scrubbed = new ArrayList<>();
		for (Object item : items) {
			if (scrubbed.size() == MAX_ENTRIES) {
				break;
			}
			scrubbed.add(value(item, depth + 1, walk));
		}
		return scrubbed;
	}

	/**
	 * Log parameters: one that fills a sensitive slot of the template ({@code "password={}"}) goes
	 * whatever its value; the others are scrubbed as text.
	 */
	private List<String> params(@Nullable String marked, @Nullable String judged, List<String> params) {
		List<String> scrubbed = new ArrayList<>(params.size());
		for (int i = 0; i < params.size(); i++) {
			boolean sensitiveSlot = judged != null && marked.contains(marker(i)) && !judged.contains(marker(i));
			scrubbed.add(sensitiveSlot ? this.replacement : text(params.get(i)));
		}
		return scrubbed;
	}

	private static @Nullable String markPlaceholders(String template, int count) {
		StringBuilder marked = new StringBuilder(template.length() + count * 12);
		int index = 0;
		for (int i = 0; i < template.length(); i++) {
			char c = template.charAt(i);
			boolean slf4j = c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '}';
			boolean format = c == '%' && i + 1 < template.length() && "sdf".indexOf(template.charAt(i + 1)) >= 0;
			if ((slf4j || format) && index < count) {
				marked.append(marker(index++));
				i++;
			}
			else {
				marked.append(c);
			}
		}
		return (index > 0) ? marked.toString() : null;
	}

	/** The scrubbed template with its placeholders back where the scrubbing left them. */
	private static String unmark(String judged, String template, int count) {
		String restored = judged;
		int index = 0;
		for (int i = 0; i < template.length() - 1 && index < count; i++) {
			char c = template.charAt(i);
			if ((c == '{' && template.charAt(i + 1) == '}') || (c == '%' && "sdf".indexOf(template.charAt(i + 1)) >= 0)) {
				restored = restored.replace(marker(index++), template.substring(i, i + 2));
				i++;
			}
		}
		return restored;
	}

	private static String marker(int index) {
		return "sentryslot" + index + "x";
	}

	private @Nullable String url(@Nullable String url) {
		if (url == null) {
			return null;
		}
		int question = url.indexOf('?');
		return (question < 0) ? text(url) : text(url.substring(0, question)) + "?" + query(url.substring(question + 1));
	}

	private @Nullable String query(@Nullable String query) {
		if (query == null) {
			return null;
		}
		try {
			return this.text.scrubQuery(query);
		}
		catch (RuntimeException | StackOverflowError ex) {
			return this.replacement;
		}
	}

	private @Nullable String text(@Nullable String value) {
		return (value != null) ? scrubText(value) : null;
	}

	private void guard(Runnable scrubbing, Runnable fallback) {
		try {
			scrubbing.run();
		}
		catch (RuntimeException | StackOverflowError ex) {
			// Whatever could not be scrubbed must not be sent as it was.
			fallback.run();
		}
	}

	private static final class Walk {

		final IdentityHashMap<Object, Boolean> path = new IdentityHashMap<>();

		int values;

	}

	/**
	 * Settings of a {@link SentryDataScrubber}: what counts as sensitive and what replaces it.
	 */
	public static final class Builder {

		private final List<String> keys = new ArrayList<>(SensitiveKeys.DEFAULT_TERMS);

		private final List<String> safeKeys = new ArrayList<>(SensitiveKeys.DEFAULT_SAFE_KEYS);

		private final List<Pattern> patterns = new ArrayList<>();

		private String replacement = "[Filtered]";

		private boolean sendDefaultPii;

		private Builder() {
		}

		/** Adds sensitive keys, matched on the words of a name like the built-in ones. */
		public Builder keys(Collection<String> keys) {
			this.keys.addAll(keys);
			return this;
		}

		/** Exempts keys (compared without case and separators) from the sensitive keys. */
		public Builder safeKeys(Collection<String> safeKeys) {
			this.safeKeys.addAll(safeKeys);
			return this;
		}

		/** Adds a pattern whose matches are replaced in every text value. */
		public Builder pattern(Pattern pattern) {
			this.patterns.add(pattern);
			return this;
		}

		public Builder replacement(String replacement) {
			this.replacement = replacement;
			return this;
		}

		/** Whether user IP addresses and emails may stay (they go otherwise). */
		public Builder sendDefaultPii(boolean sendDefaultPii) {
			this.sendDefaultPii = sendDefaultPii;
			return this;
		}

		public SentryDataScrubber build() {
			return new SentryDataScrubber(this);
		}

	}

}
