package dev.sentryboot.autoconfigure.scrub;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

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
 * cut, and a field that cannot be scrubbed is replaced, never passed through. Objects the
 * application put into an event (nested maps and lists) are copied before anything in them
 * changes, never modified. Build one with {@link #builder()}; {@link SentryDataScrubberCustomizer}
 * beans adjust the built-in one.
 */
public final class SentryDataScrubber implements SentryScrubber {

	static final int MAX_DEPTH = 16;

	static final int MAX_ENTRIES = 1000;

	static final int MAX_VALUES = 20_000;

	/** Personal data rather than secrets: kept only when {@code send-default-pii} is on. */
	private static final List<String> PERSONAL_KEYS = List.of("email", "e-mail", "ip address", "client ip",
			"remote addr", "x-forwarded-for", "x-real-ip", "forwarded");

	/** Stands in for a log placeholder while the template is judged. */
	private static final String MARKER_PREFIX = "sentryslot";

	// The markers of the first slots, made once: a log message has a few parameters at most.
	private static final String[] SLOT_MARKERS = IntStream.range(0, 8)
		.mapToObj((index) -> MARKER_PREFIX + index + "x")
		.toArray(String[]::new);

	private final SensitiveKeys keys;

	private final TextScrubber text;

	private final String replacement;

	private final boolean sendDefaultPii;

	// Made once: a method reference passed per map would be a new object per map.
	private final BiFunction<String, @Nullable String, @Nullable String> stringEntry = this::keyedText;

	private SentryDataScrubber(Builder builder) {
		List<String> sensitive = new ArrayList<>(builder.keys);
		if (!builder.sendDefaultPii) {
			sensitive.addAll(PERSONAL_KEYS);
		}
		this.keys = new SensitiveKeys(sensitive, builder.safeKeys);
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
		catch (Exception | StackOverflowError ex) {
			return this.replacement;
		}
	}

	// Each part that cannot be scrubbed is dropped or replaced, never sent as it was. Plain
	// try/catch rather than a helper taking lambdas: this runs for every event and breadcrumb.
	@Override
	public SentryEvent scrub(SentryEvent event) {
		Walk walk = new Walk();
		scrubBase(event, walk);
		try {
			List<SentryException> exceptions = event.getExceptions();
			if (exceptions != null) {
				cap(exceptions);
				for (SentryException exception : exceptions) {
					exception.setValue(text(exception.getValue()));
				}
			}
		}
		catch (Exception | StackOverflowError ex) {
			event.setExceptions(null);
		}
		try {
			scrubMessage(event.getMessage());
		}
		catch (Exception | StackOverflowError ex) {
			event.setMessage(null);
		}
		try {
			event.setTransaction(text(event.getTransaction()));
		}
		catch (Exception | StackOverflowError ex) {
			event.setTransaction(null);
		}
		return event;
	}

	@Override
	public SentryTransaction scrub(SentryTransaction transaction) {
		Walk walk = new Walk();
		scrubBase(transaction, walk);
		List<SentrySpan> spans = transaction.getSpans();
		for (int i = 0; i < spans.size(); i++) {
			SentrySpan span = spans.get(i);
			try {
				spans.set(i, scrubSpan(span, walk));
			}
			catch (Exception | StackOverflowError ex) {
				spans.set(i, withDescription(span, this.replacement, new LinkedHashMap<>(), null));
			}
		}
		return transaction;
	}

	@Override
	public Breadcrumb scrub(Breadcrumb breadcrumb) {
		scrubBreadcrumb(breadcrumb, new Walk());
		return breadcrumb;
	}

	private void scrubBase(SentryBaseEvent event, Walk walk) {
		try {
			scrubRequest(event.getRequest(), walk);
		}
		catch (Exception | StackOverflowError ex) {
			event.setRequest(null);
		}
		try {
			scrubStringsInPlace(event.getTags(), walk);
		}
		catch (Exception | StackOverflowError ex) {
			event.setTags(null);
		}
		try {
			scrubInPlace(event.getExtras(), walk);
		}
		catch (Exception | StackOverflowError ex) {
			event.setExtras(null);
		}
		try {
			event.setUser(scrubUser(event.getUser(), walk));
		}
		catch (Exception | StackOverflowError ex) {
			event.setUser(null);
		}
		// The contexts are a concurrent map: iterating it while replacing values is safe.
		for (Map.Entry<String, Object> context : event.getContexts().entrySet()) {
			try {
				scrubContext(event, context.getKey(), context.getValue(), walk);
			}
			catch (Exception | StackOverflowError ex) {
				event.getContexts().put(context.getKey(), this.replacement);
			}
		}
		List<Breadcrumb> breadcrumbs = event.getBreadcrumbs();
		if (breadcrumbs != null) {
			for (Breadcrumb breadcrumb : breadcrumbs) {
				scrubBreadcrumb(breadcrumb, walk);
			}
		}
	}

	private void scrubBreadcrumb(Breadcrumb breadcrumb, Walk walk) {
		String message = breadcrumb.getMessage();
		if (message != null) {
			breadcrumb.setMessage(recurringText(message));
		}
		Map<String, Object> data = breadcrumb.getData();
		if (data.isEmpty()) {
			return;
		}
		try {
			scrubInPlace(data, walk);
		}
		catch (Exception | StackOverflowError ex) {
			data.clear();
		}
	}

	private void scrubMessage(@Nullable Message message) {
		if (message == null) {
			return;
		}
		String template = message.getMessage();
		List<String> params = (message.getParams() != null) ? message.getParams() : List.of();
		String marked = (template != null) ? markPlaceholders(template, params.size()) : null;
		String judged = (marked != null) ? scrubText(marked) : null;
		message.setFormatted(text(message.getFormatted()));
		// Nothing in the marked template changed (the scrubber hands back the same string then):
		// the template stays and no slot is sensitive, without building markers to find that out.
		// Unless the template holds marker text itself, which unmark would turn into placeholders.
		boolean unchanged = judged != null && judged == marked && !template.contains(MARKER_PREFIX);
		if (unchanged) {
			message.setMessage(template);
		}
		else {
			message.setMessage((judged != null) ? unmark(judged, template, params.size()) : text(template));
		}
		if (message.getParams() != null) {
			message.setParams(unchanged ? params(params) : params(marked, judged, params));
		}
	}

	// The request is built for this event (by the web layer or the application): scrubbed in place.
	private void scrubRequest(@Nullable Request request, Walk walk) {
		if (request == null) {
			return;
		}
		request.setUrl(url(request.getUrl()));
		request.setQueryString(query(request.getQueryString()));
		request.setFragment(text(request.getFragment()));
		request.setCookies(text(request.getCookies()));
		scrubStringsInPlace(request.getHeaders(), walk);
		scrubStringsInPlace(request.getEnvs(), walk);
		scrubStringsInPlace(request.getOthers(), walk);
		request.setData(value(request.getData(), 0, walk));
	}

	private @Nullable User scrubUser(@Nullable User original, Walk walk) {
		if (original == null) {
			return null;
		}
		// A copy: the scope hands the same user to every event.
		User user = new User(original);
		if (!this.sendDefaultPii) {
			user.setIpAddress(null);
			user.setEmail(null);
		}
		if (user.getData() != null) {
			Map<String, String> data = new LinkedHashMap<>(user.getData());
			scrubStringsInPlace(data, walk);
			user.setData(data);
		}
		return user;
	}

	private void scrubContext(SentryBaseEvent event, String name, @Nullable Object context, Walk walk) {
		if (context instanceof SpanContext span) {
			span.setDescription(text(span.getDescription()));
			scrubInPlace(span.getData(), walk);
			scrubStringsInPlace(span.getTags(), walk);
		}
		else if (context instanceof Response response) {
			scrubStringsInPlace(response.getHeaders(), walk);
			response.setCookies(text(response.getCookies()));
			response.setData(value(response.getData(), 1, walk));
		}
		else if (context != null && !isSdkContext(context)) {
			Object scrubbed = keyed(name, context, 0, walk);
			if (scrubbed != context) {
				event.getContexts().put(name, (scrubbed != null) ? scrubbed : this.replacement);
			}
		}
	}

	// Device, OS, runtime, app and similar contexts are collected by the SDK itself.
	private static boolean isSdkContext(Object context) {
		return context.getClass().getName().startsWith("io.sentry.protocol.");
	}

	private SentrySpan scrubSpan(SentrySpan span, Walk walk) {
		scrubStringsInPlace(span.getTags(), walk);
		Map<String, Object> data = span.getData();
		if (data != null) {
			scrubInPlace(data, walk);
		}
		String description = text(span.getDescription());
		if (description == null || description.equals(span.getDescription())) {
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

	/** A map owned by the event: capped, then each value replaced by its scrubbed form. */
	private void scrubInPlace(@Nullable Map<String, Object> map, Walk walk) {
		if (walk.entry == null) {
			// One per event rather than one per map: every breadcrumb holds a map.
			walk.entry = (key, value) -> keyed(key, value, 1, walk);
		}
		scrubEntries(map, walk.entry, walk);
	}

	private void scrubStringsInPlace(@Nullable Map<String, String> map, Walk walk) {
		scrubEntries(map, this.stringEntry, walk);
	}

	@SuppressWarnings("unchecked")
	private <V> void scrubEntries(@Nullable Map<String, V> map, BiFunction<String, V, @Nullable V> scrub, Walk walk) {
		if (map == null) {
			return;
		}
		cap(map);
		// Both kinds of map take the replacement text as a value.
		V replacement = (V) this.replacement;
		if (map instanceof ConcurrentMap<String, V> concurrent) {
			// What the SDK holds (extras, tags, headers, breadcrumb data).
			if (walk.inPlace == null) {
				walk.inPlace = new InPlace();
			}
			walk.inPlace.scrub((ConcurrentMap<String, Object>) concurrent,
					(BiFunction<String, Object, @Nullable Object>) scrub, replacement);
			return;
		}
		for (Map.Entry<String, V> entry : map.entrySet()) {
			V value = entry.getValue();
			V scrubbed = scrub.apply(entry.getKey(), value);
			if (scrubbed != value) {
				entry.setValue((scrubbed != null) ? scrubbed : replacement);
			}
		}
	}

	/**
	 * Scrubs a concurrent map in place. {@link ConcurrentHashMap#forEach} walks the table itself:
	 * no key-set view, iterator and look-up per entry, as a loop over the keys costs (and no entry
	 * object per entry, as a loop over the entries costs). One per event serves every such map.
	 */
	private static final class InPlace implements BiConsumer<String, Object> {

		private @Nullable ConcurrentMap<String, Object> map;

		private @Nullable BiFunction<String, Object, @Nullable Object> scrub;

		private @Nullable Object replacement;

		void scrub(ConcurrentMap<String, Object> map, BiFunction<String, Object, @Nullable Object> scrub,
				Object replacement) {
			// Saved and restored: safe even if a value's scrubbing ever met another such map.
			ConcurrentMap<String, Object> outerMap = this.map;
			BiFunction<String, Object, @Nullable Object> outerScrub = this.scrub;
			Object outerReplacement = this.replacement;
			this.map = map;
			this.scrub = scrub;
			this.replacement = replacement;
			try {
				map.forEach(this);
			}
			finally {
				this.map = outerMap;
				this.scrub = outerScrub;
				this.replacement = outerReplacement;
			}
		}

		@Override
		public void accept(String key, Object value) {
			Object scrubbed = this.scrub.apply(key, value);
			if (scrubbed != value) {
				// Replacing the value of a key the walk is at is safe in a concurrent map.
				this.map.put(key, (scrubbed != null) ? scrubbed : this.replacement);
			}
		}

	}

	private static void cap(Map<?, ?> map) {
		if (map.size() > MAX_ENTRIES) {
			Iterator<?> keys = map.keySet().iterator();
			for (int i = 0; keys.hasNext(); i++) {
				keys.next();
				if (i >= MAX_ENTRIES) {
					keys.remove();
				}
			}
		}
	}

	private static void cap(List<?> list) {
		if (list.size() > MAX_ENTRIES) {
			list.subList(MAX_ENTRIES, list.size()).clear();
		}
	}

	private @Nullable String keyedText(@Nullable String key, @Nullable String value) {
		if (value == null) {
			return null;
		}
		return (key != null && this.keys.isSensitive(key)) ? this.replacement : text(value);
	}

	private @Nullable Object keyed(@Nullable String key, @Nullable Object value, int depth, Walk walk) {
		if (value == null) {
			return null;
		}
		if (key != null && this.keys.isSensitive(key)) {
			return this.replacement;
		}
		return value(value, depth, walk);
	}

	private @Nullable Object value(@Nullable Object value, int depth, Walk walk) {
		if (value instanceof String string) {
			// Most values are text: no type tests before this one.
			return (++walk.values > MAX_VALUES || depth >= MAX_DEPTH) ? this.replacement : text(string);
		}
		if (value == null || value instanceof Boolean || value instanceof Character || value instanceof Enum<?>
				|| value instanceof UUID) {
			return value;
		}
		if (++walk.values > MAX_VALUES || depth >= MAX_DEPTH) {
			return this.replacement;
		}
		if (value instanceof Number number) {
			return number(number);
		}
		if (value instanceof Map<?, ?> || value instanceof Collection<?> || value instanceof Object[]) {
			if (!walk.enter(value)) {
				return this.replacement;
			}
			try {
				return (value instanceof Map<?, ?> map) ? map(map, depth, walk) : list(value, depth, walk);
			}
			finally {
				walk.leave();
			}
		}
		if (value.getClass().isArray()) {
			// Binary and other primitive arrays cannot be told apart from secrets.
			return this.replacement;
		}
		// Anything else would be serialized field by field by the SDK: its text is what can be
		// checked, so the text is what is sent.
		try {
			return text(String.valueOf(value));
		}
		catch (Exception | StackOverflowError ex) {
			return this.replacement;
		}
	}

	/** A card number stored as a number is still a card number. */
	private Object number(Number number) {
		if (number instanceof Long value && value > -1_000_000_000_000L && value < 1_000_000_000_000L) {
			// Fewer than 13 digits: no card number, and no text to build to find that out.
			return number;
		}
		if (number instanceof Long || number instanceof BigInteger || number instanceof BigDecimal) {
			String digits = number.toString();
			if (digits.length() > 64) {
				return this.replacement;
			}
			if (digits.length() >= 13 && !text(digits).equals(digits)) {
				return this.replacement;
			}
		}
		return number;
	}

	/** Copy-on-write: the application's map is returned as it is unless something in it changes. */
	private Object map(Map<?, ?> map, int depth, Walk walk) {
		MapEntries entries = walk.mapEntries();
		if (entries == null) {
			entries = new MapEntries(walk);
			walk.setMapEntries(entries);
		}
		return entries.scrub(map, depth);
	}

	/**
	 * Scrubs the entries of one map, copy-on-write. It visits them with {@link Map#forEach},
	 * which walks most maps without the iterator (and wrapper) objects a loop over
	 * {@code entrySet()} costs; one serves every map met at its level of the walk.
	 */
	private final class MapEntries implements BiConsumer<Object, Object> {

		private final Walk walk;

		private Map<?, ?> map = Map.of();

		private int depth;

		private @Nullable Map<String, Object> copy;

		private int index;

		MapEntries(Walk walk) {
			this.walk = walk;
		}

		Object scrub(Map<?, ?> map, int depth) {
			this.map = map;
			this.depth = depth;
			this.copy = null;
			this.index = 0;
			if (map.size() <= MAX_ENTRIES) {
				map.forEach(this);
			}
			else {
				// forEach cannot stop: a huge map is walked only as far as the cap.
				for (Map.Entry<?, ?> entry : map.entrySet()) {
					accept(entry.getKey(), entry.getValue());
					if (this.index == MAX_ENTRIES && this.copy != null) {
						break;
					}
				}
			}
			Map<String, Object> copy = this.copy;
			this.map = Map.of();
			this.copy = null;
			return (copy != null) ? copy : map;
		}

		@Override
		public void accept(Object key, Object value) {
			if (this.index == MAX_ENTRIES) {
				// Entries past the cap are left out of the copy that leaving them out needs
				// (a map that grew while walked may reach here through forEach).
				if (this.copy == null) {
					this.copy = firstEntries(this.map, MAX_ENTRIES);
				}
				return;
			}
			String name = (key instanceof String string) ? string : String.valueOf(key);
			String scrubbedName = recurringText(name);
			Object scrubbed = keyed(name, value, this.depth + 1, this.walk);
			if (this.copy == null && (scrubbed != value || scrubbedName != key)) {
				this.copy = firstEntries(this.map, this.index);
			}
			if (this.copy != null) {
				this.copy.put(scrubbedName, scrubbed);
			}
			this.index++;
		}

	}

	private static Map<String, Object> firstEntries(Map<?, ?> map, int count) {
		// Sized so that it never grows: the table for the entries at the default load factor.
		Map<String, Object> copy = new LinkedHashMap<>((Math.min(map.size(), MAX_ENTRIES) * 4 + 2) / 3);
		Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
		for (int i = 0; i < count; i++) {
			Map.Entry<?, ?> entry = entries.next();
			copy.put(String.valueOf(entry.getKey()), entry.getValue());
		}
		return copy;
	}

	private Object list(Object value, int depth, Walk walk) {
		Collection<?> items = (value instanceof Collection<?> collection) ? collection
				: Arrays.asList((Object[]) value);
		List<Object> copy = null;
		int index = 0;
		for (Object item : items) {
			if (index == MAX_ENTRIES) {
				if (copy == null) {
					copy = firstItems(items, index);
				}
				break;
			}
			Object scrubbed = value(item, depth + 1, walk);
			if (copy == null && scrubbed != item) {
				copy = firstItems(items, index);
			}
			if (copy != null) {
				copy.add(scrubbed);
			}
			index++;
		}
		return (copy != null) ? copy : value;
	}

	private static List<Object> firstItems(Collection<?> items, int count) {
		List<Object> copy = new ArrayList<>(Math.min(items.size(), MAX_ENTRIES));
		Iterator<?> iterator = items.iterator();
		for (int i = 0; i < count; i++) {
			copy.add(iterator.next());
		}
		return copy;
	}

	/**
	 * Log parameters: one that fills a sensitive slot of the template ({@code "password={}"}) goes
	 * whatever its value; the others are scrubbed as text.
	 */
	private List<String> params(@Nullable String marked, @Nullable String judged, List<String> params) {
		int count = Math.min(params.size(), MAX_ENTRIES);
		List<String> scrubbed = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			boolean sensitiveSlot = judged != null && marked.contains(marker(i)) && !judged.contains(marker(i));
			scrubbed.add(sensitiveSlot ? this.replacement : text(params.get(i)));
		}
		return scrubbed;
	}

	private List<String> params(List<String> params) {
		int count = Math.min(params.size(), MAX_ENTRIES);
		List<String> scrubbed = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			scrubbed.add(text(params.get(i)));
		}
		return scrubbed;
	}

	private static @Nullable String markPlaceholders(String template, int count) {
		if (count == 0 || !hasPlaceholder(template)) {
			return null;
		}
		StringBuilder marked = new StringBuilder(template.length() + count * 12);
		int index = 0;
		for (int i = 0; i < template.length(); i++) {
			char c = template.charAt(i);
			if (isPlaceholder(template, i) && index < count) {
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
			if (isPlaceholder(template, i)) {
				restored = restored.replace(marker(index++), template.substring(i, i + 2));
				i++;
			}
		}
		return restored;
	}

	private static boolean hasPlaceholder(String template) {
		for (int i = template.indexOf('{'); i >= 0; i = template.indexOf('{', i + 1)) {
			if (isPlaceholder(template, i)) {
				return true;
			}
		}
		for (int i = template.indexOf('%'); i >= 0; i = template.indexOf('%', i + 1)) {
			if (isPlaceholder(template, i)) {
				return true;
			}
		}
		return false;
	}

	// SLF4J's {} and String.format's %s, %d, %f.
	private static boolean isPlaceholder(String template, int i) {
		if (i + 1 >= template.length()) {
			return false;
		}
		char c = template.charAt(i);
		char next = template.charAt(i + 1);
		return (c == '{' && next == '}') || (c == '%' && (next == 's' || next == 'd' || next == 'f'));
	}

	private static String marker(int index) {
		return (index < SLOT_MARKERS.length) ? SLOT_MARKERS[index] : MARKER_PREFIX + index + "x";
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
		catch (Exception | StackOverflowError ex) {
			return this.replacement;
		}
	}

	private @Nullable String text(@Nullable String value) {
		return (value != null) ? scrubText(value) : null;
	}

	/**
	 * Text that recurs word for word event after event (map keys, a query's SQL in breadcrumb
	 * messages): the clean ones are remembered.
	 */
	private String recurringText(String text) {
		try {
			return this.text.scrubRecurring(text);
		}
		catch (Exception | StackOverflowError ex) {
			return this.replacement;
		}
	}

	/**
	 * Per event: a value budget, and the containers on the path from the root to cut cycles. The
	 * path is a stack no deeper than {@link #MAX_DEPTH}: a small array searched by identity costs
	 * less than a hash map, and is only created when a container is entered.
	 */
	private static final class Walk {

		private Object @Nullable [] path;

		// The map visitor of each level of the path, made when a map is first met there.
		private MapEntries @Nullable [] maps;

		private int size;

		int values;

		// What scrubInPlace applies to each entry, made once per event.
		@Nullable BiFunction<String, @Nullable Object, @Nullable Object> entry;

		// Walks the SDK's concurrent maps, made when the first one is met.
		@Nullable InPlace inPlace;

		/** Whether the container was not on the path already; it is now. */
		boolean enter(Object container) {
			if (this.path == null) {
				this.path = new Object[MAX_DEPTH];
			}
			for (int i = 0; i < this.size; i++) {
				if (this.path[i] == container) {
					return false;
				}
			}
			if (this.size == this.path.length) {
				this.path = Arrays.copyOf(this.path, this.size * 2);
			}
			this.path[this.size++] = container;
			return true;
		}

		/** The map visitor of the level of the container entered last, if made already. */
		@Nullable MapEntries mapEntries() {
			return (this.maps != null && this.size <= this.maps.length) ? this.maps[this.size - 1] : null;
		}

		void setMapEntries(MapEntries entries) {
			if (this.maps == null || this.size > this.maps.length) {
				this.maps = Arrays.copyOf((this.maps != null) ? this.maps : new MapEntries[0],
						Math.max(this.size, MAX_DEPTH));
			}
			this.maps[this.size - 1] = entries;
		}

		/** Takes the container entered last off the path. */
		void leave() {
			this.path[--this.size] = null;
		}

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

		/**
		 * Whether personal data may stay: user IP addresses and emails, and values under keys
		 * such as {@code email} or {@code X-Forwarded-For}. They go otherwise.
		 */
		public Builder sendDefaultPii(boolean sendDefaultPii) {
			this.sendDefaultPii = sendDefaultPii;
			return this;
		}

		public SentryDataScrubber build() {
			return new SentryDataScrubber(this);
		}

	}

}
