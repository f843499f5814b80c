package dev.sentryboot.autoconfigure.scrub;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Removes secrets from free text whatever key they sit under: private keys, JWTs, bearer and
 * basic credentials, AWS access key ids, credentials in URLs, card numbers that pass the Luhn
 * check, and {@code key=value}, {@code key: value} or {@code "key": "value"} pairs whose key is
 * sensitive. A cheap look at the text ({@link Hints}) decides which of the (costlier) rules can
 * match at all, so ordinary text costs little more than that look; a rule that finds nothing
 * allocates nothing and hands back the same string.
 */
final class TextScrubber {

	/** Longer text is cut first: work per field stays bounded whatever the input. */
	static final int MAX_LENGTH = 16 * 1024;

	private static final int MAX_KEY_LENGTH = 128;

	private static final Pattern PEM = Pattern
		.compile("-----BEGIN[A-Z ]{0,40}PRIVATE KEY-----[\\s\\S]*?(?:-----END[A-Z ]{0,40}PRIVATE KEY-----|$)");

	private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]*");

	// Possessive, and not followed by '=' or ':': in "bearer access_token=x" the word is a key.
	private static final Pattern AUTH_SCHEME = Pattern
		.compile("(?i)\\b(bearer|basic|token|digest)[ \\t]++([A-Za-z0-9\\-._~+/]{6,}+=*+)(?![A-Za-z0-9:])(?![ \\t]*+=)");

	private static final Pattern URL_CREDENTIALS = Pattern
		.compile("([A-Za-z][A-Za-z0-9+.\\-]{0,20}://)[^\\s/@:]*:[^\\s/@]*@");

	private static final Pattern AWS_KEY_ID = Pattern
		.compile("\\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{16}\\b");

	// Working memory of the rules, one per thread: a rule that rebuilds a text then allocates its
	// result string only, not a builder as large as the text as well. Safe because no rule runs
	// code that could scrub again on this thread while it uses the scratch.
	private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

	// A buffer that one large text grew past this is not kept for the thread's lifetime.
	private static final int MAX_KEPT_BUFFER = 4 * 1024;

	// Texts up to this long that the rules left unchanged are remembered by scrubRecurring.
	private static final int MAX_REMEMBERED_LENGTH = 1024;

	private static final int REMEMBERED = 256;

	// Texts per set of the table: two recurring texts that meet in a set of one would push each
	// other out every event and be scrubbed every time.
	private static final int WAYS = 2;

	private final SensitiveKeys keys;

	private final String replacement;

	// As Matcher.replaceAll wants them, worked out once rather than per match.
	private final String quotedReplacement;

	private final String urlReplacement;

	// The replacement's first character, or -1 when it is empty: valueEnd compares the text with
	// the replacement only where it starts (an empty one would match everywhere and never move).
	private final int replacementStart;

	private final Pattern[] extraPatterns;

	// Breadcrumb messages (a query's SQL text, once per statement) and the keys of maps recur: the
	// texts the rules left unchanged, so that the next time the same text costs a hash look-up
	// and a comparison. The rules are fixed for the scrubber's life, so a text clean once is clean
	// every time. A lossy table: a String is immutable and safely published, so racing writers
	// only overwrite each other's slots.
	private final @Nullable String[] clean = new String[REMEMBERED];

	TextScrubber(SensitiveKeys keys, String replacement, List<Pattern> extraPatterns) {
		this.keys = keys;
		this.replacement = replacement;
		this.quotedReplacement = Matcher.quoteReplacement(replacement);
		this.urlReplacement = "$1" + this.quotedReplacement + "@";
		this.replacementStart = replacement.isEmpty() ? -1 : replacement.charAt(0);
		this.extraPatterns = extraPatterns.toArray(new Pattern[0]);
	}

	String scrub(String text) {
		String s = (text.length() > MAX_LENGTH) ? text.substring(0, MAX_LENGTH) + "...[truncated]" : text;
		// One look decides both whether to decode and which rules to run on the text as it is.
		int hints = Hints.of(s);
		if ((hints & Hints.PERCENT) != 0 && hasPercentEscape(s)) {
			// Secrets hide behind URL encoding (%3A%2F%2F, %20): look at the decoded text, and
			// send it decoded when it held one.
			String decoded = decode(s);
			if (decoded != null && !decoded.equals(s)) {
				String scrubbed = scrubPlain(decoded);
				// Decoding only reveals: clean once decoded means clean as it was.
				return scrubbed.equals(decoded) ? s : scrubbed;
			}
		}
		return scrubPlain(s, hints);
	}

	/**
	 * As {@link #scrub(String)}, for text that is likely to recur word for word: a text seen clean
	 * before is handed back without running the rules again.
	 */
	String scrubRecurring(String text) {
		if (text.length() > MAX_REMEMBERED_LENGTH) {
			return scrub(text);
		}
		int hash = text.hashCode();
		int set = ((hash ^ (hash >>> 16)) & (REMEMBERED / WAYS - 1)) * WAYS;
		@Nullable String[] clean = this.clean;
		for (int way = set; way < set + WAYS; way++) {
			String known = clean[way];
			if (known == text || (known != null && known.equals(text))) {
				return text;
			}
		}
		String scrubbed = scrub(text);
		if (scrubbed == text) {
			// Newest first; the older of a full set goes.
			System.arraycopy(clean, set, clean, set + 1, WAYS - 1);
			clean[set] = text;
		}
		return scrubbed;
	}

	/**
	 * A query string ({@code a=1&token=x}), each parameter decoded before it is judged; parameters
	 * left as they were stay encoded.
	 */
	String scrubQuery(String query) {
		String q = (query.length() > MAX_LENGTH) ? query.substring(0, MAX_LENGTH) : query;
		int n = q.length();
		// Built only once a parameter changes; not the thread's buffer, which scrubPlain uses.
		StringBuilder out = null;
		int start = 0;
		while (start <= n) {
			int end = q.indexOf('&', start);
			if (end < 0) {
				end = n;
			}
			String scrubbed = scrubParameter(q, start, end);
			if (scrubbed != null && out == null) {
				out = new StringBuilder(n + this.replacement.length()).append(q, 0, start);
			}
			if (out != null) {
				if (scrubbed != null) {
					out.append(scrubbed);
				}
				else {
					out.append(q, start, end);
				}
				if (end < n) {
					out.append('&');
				}
			}
			start = end + 1;
		}
		return (out != null) ? out.toString() : q;
	}

	/** The parameter {@code q[start, end)} scrubbed, or null when it stays as it is. */
	private @Nullable String scrubParameter(String q, int start, int end) {
		int equals = q.indexOf('=', start);
		if (equals >= 0 && equals < end) {
			boolean sensitive;
			if (hasEncoding(q, start, equals)) {
				String name = q.substring(start, equals);
				String decodedName = decode(name);
				sensitive = this.keys.isSensitive((decodedName != null) ? decodedName : name);
			}
			else {
				sensitive = this.keys.isSensitive(q, start, equals);
			}
			if (sensitive) {
				return q.substring(start, equals + 1) + this.replacement;
			}
		}
		String parameter = (start == 0 && end == q.length()) ? q : q.substring(start, end);
		String decoded = decode(parameter);
		if (decoded == null) {
			return this.replacement;
		}
		String scrubbed = scrubPlain(decoded);
		// Left as it was (if clean once decoded, it was clean encoded): it stays encoded.
		return scrubbed.equals(decoded) ? null : scrubbed;
	}

	private static boolean hasEncoding(String s, int start, int end) {
		for (int i = start; i < end; i++) {
			char c = s.charAt(i);
			if (c == '%' || c == '+') {
				return true;
			}
		}
		return false;
	}

	private String scrubPlain(String text) {
		return scrubPlain(text, Hints.of(text));
	}

	private String scrubPlain(String text, int hints) {
		String s = text;
		if ((hints & ~Hints.PERCENT) == 0 && this.extraPatterns.length == 0) {
			return s;
		}
		if ((hints & Hints.PEM) != 0) {
			s = replaceAll(PEM, s);
		}
		if ((hints & Hints.JWT) != 0) {
			s = replaceAll(JWT, s);
		}
		if ((hints & Hints.URL) != 0) {
			s = URL_CREDENTIALS.matcher(s).replaceAll(this.urlReplacement);
		}
		if ((hints & Hints.UPPER_RUN) != 0) {
			s = replaceAll(AWS_KEY_ID, s);
		}
		if ((hints & Hints.CARD) != 0) {
			s = scrubCardNumbers(s);
		}
		// Pairs before schemes: in "token_type=bearer password=x" the word after "bearer" is a key.
		if ((hints & Hints.SEPARATOR) != 0) {
			s = scrubPairs(s);
		}
		if ((hints & Hints.AUTH_SCHEME) != 0) {
			s = scrubAuthSchemes(s);
		}
		for (Pattern pattern : this.extraPatterns) {
			s = replaceAll(pattern, s);
		}
		return s;
	}

	private String replaceAll(Pattern pattern, String s) {
		return pattern.matcher(s).replaceAll(this.quotedReplacement);
	}

	private String scrubAuthSchemes(String s) {
		Matcher matcher = AUTH_SCHEME.matcher(s);
		StringBuilder out = null;
		int last = 0;
		int from = 0;
		while (from < s.length() && matcher.find(from)) {
			String credential = matcher.group(2);
			from = matcher.end();
			// "basic authentication", "token expired": plain words. "Bearer Bearer x": the
			// second scheme word is where the credential starts, so look again from there.
			if (isSchemeWord(credential)) {
				from = matcher.start(2);
				continue;
			}
			if (credential.chars().allMatch((c) -> c >= 'a' && c <= 'z')) {
				continue;
			}
			if (out == null) {
				out = buffer();
			}
			out.append(s, last, matcher.start(2)).append(this.replacement);
			last = matcher.end(2);
		}
		return (out == null) ? s : result(out.append(s, last, s.length()));
	}

	private static boolean isSchemeWord(String word) {
		return word.equalsIgnoreCase("bearer") || word.equalsIgnoreCase("basic") || word.equalsIgnoreCase("token")
				|| word.equalsIgnoreCase("digest");
	}

	/**
	 * Card numbers: 13 to 19 digits in groups split by single spaces or dashes, that pass the
	 * Luhn check. Neighbouring numbers ("order 42 card 4111 1111 1111 1111 123") run into the
	 * same group sequence, so every window of whole groups is tried.
	 */
	private String scrubCardNumbers(String s) {
		StringBuilder out = null;
		int last = 0;
		int n = s.length();
		int[] starts = null;
		int[] ends = null;
		int i = 0;
		while (i < n) {
			if (!isDigit(s.charAt(i))) {
				i = nextLongRun(s, i);
				continue;
			}
			int shortEnd = shortRunEnd(s, i);
			if (shortEnd >= 0) {
				i = shortEnd;
				continue;
			}
			if (starts == null) {
				Scratch scratch = SCRATCH.get();
				starts = scratch.starts;
				ends = scratch.ends;
			}
			int groups = 0;
			int j = i;
			while (j < n && groups < starts.length) {
				int start = j;
				while (j < n && isDigit(s.charAt(j))) {
					j++;
				}
				starts[groups] = start;
				ends[groups] = j;
				groups++;
				boolean separated = j + 1 < n && (s.charAt(j) == ' ' || s.charAt(j) == '-') && isDigit(s.charAt(j + 1));
				if (!separated) {
					break;
				}
				j++;
			}
			int g = 0;
			while (g < groups) {
				int matchedEnd = -1;
				int digits = 0;
				for (int h = g; h < groups && digits <= 19; h++) {
					digits += ends[h] - starts[h];
					if (digits >= 13 && digits <= 19 && luhn(s, starts[g], ends[h])) {
						matchedEnd = h;
						break;
					}
				}
				if (matchedEnd < 0) {
					g++;
					continue;
				}
				if (out == null) {
					out = buffer();
				}
				out.append(s, last, starts[g]).append(this.replacement);
				last = ends[matchedEnd];
				g = matchedEnd + 1;
			}
			i = Math.max(j, i + 1);
		}
		return (out == null) ? s : result(out.append(s, last, n));
	}

	/**
	 * Where the next run of digits and single separators at least 13 characters long starts, at
	 * or after {@code from} (which is not inside a run), or the text's length. Shorter runs hold
	 * fewer than 13 digits and cannot be card numbers; a longer one covers one of every 13
	 * characters, so only those need a look.
	 */
	private static int nextLongRun(String s, int from) {
		int n = s.length();
		int p = from + 12;
		while (p < n) {
			if (!inDigitRun(s, p)) {
				p += 13;
				continue;
			}
			int start = p;
			while (start > from && inDigitRun(s, start - 1)) {
				start--;
			}
			int end = p + 1;
			while (end < n && inDigitRun(s, end)) {
				end++;
			}
			if (end - start >= 13) {
				return start;
			}
			p = end + 12;
		}
		return n;
	}

	/** Where the run starting at {@code start} ends if it is shorter than 13 characters, or -1. */
	private static int shortRunEnd(String s, int start) {
		int n = s.length();
		int end = start + 1;
		while (end < n && end - start < 13 && inDigitRun(s, end)) {
			end++;
		}
		return (end - start < 13) ? end : -1;
	}

	// A digit, or a space or dash between two digits: what scrubCardNumbers takes as one sequence.
	private static boolean inDigitRun(String s, int i) {
		char c = s.charAt(i);
		if (isDigit(c)) {
			return true;
		}
		return (c == ' ' || c == '-') && i > 0 && i + 1 < s.length() && isDigit(s.charAt(i - 1))
				&& isDigit(s.charAt(i + 1));
	}

	private static boolean luhn(String s, int start, int end) {
		int sum = 0;
		boolean doubleIt = false;
		for (int i = end - 1; i >= start; i--) {
			char c = s.charAt(i);
			if (!isDigit(c)) {
				continue;
			}
			int d = c - '0';
			if (doubleIt) {
				d *= 2;
				if (d > 9) {
					d -= 9;
				}
			}
			sum += d;
			doubleIt = !doubleIt;
		}
		return sum % 10 == 0;
	}

	/**
	 * {@code password=x}, {@code token: x}, {@code "secret": "x"}, {@code \"secret\": \"x\"},
	 * {@code api_key='x'}, {@code "password": ["x"]}: the value goes when the key is sensitive.
	 * After '=' an unquoted value ends at white space or a delimiter; after ':' it may hold
	 * spaces ("password: correct horse") and ends at a delimiter, a line end or the next
	 * {@code key=} / {@code key:}.
	 */
	private String scrubPairs(String s) {
		StringBuilder out = null;
		int last = 0;
		int n = s.length();
		// The next '=' and ':' at or after `from` (-1: none left), found with String.indexOf:
		// most characters are neither, and indexOf skips them far faster than a loop would.
		int equals = -2;
		int colon = -2;
		int from = 0;
		while (true) {
			if (equals != -1 && equals < from) {
				equals = s.indexOf('=', from);
			}
			if (colon != -1 && colon < from) {
				colon = s.indexOf(':', from);
			}
			int i = (equals < 0 || (colon >= 0 && colon < equals)) ? colon : equals;
			if (i < 0) {
				break;
			}
			from = i + 1;
			char c = s.charAt(i);
			if (c == ':' && i + 2 < n && s.charAt(i + 1) == '/' && s.charAt(i + 2) == '/') {
				continue;
			}
			int keyEnd = i;
			while (keyEnd > last && isBlank(s.charAt(keyEnd - 1))) {
				keyEnd--;
			}
			int keyStart;
			if (keyEnd > last && (s.charAt(keyEnd - 1) == '"' || s.charAt(keyEnd - 1) == '\'')) {
				char quote = s.charAt(keyEnd - 1);
				boolean escaped = keyEnd - 2 >= last && s.charAt(keyEnd - 2) == '\\';
				int close = escaped ? keyEnd - 2 : keyEnd - 1;
				// The opening quote, looked for no further back than a key may reach: a quote
				// with none before it must not cost a scan back to the start for every ':'.
				int lowest = Math.max(last, close - MAX_KEY_LENGTH);
				int open = close - 1;
				while (open >= lowest && s.charAt(open) != quote) {
					open--;
				}
				if (open < lowest) {
					continue;
				}
				keyStart = open + 1;
				keyEnd = close;
			}
			else {
				keyStart = keyEnd;
				while (keyStart > last && keyEnd - keyStart < MAX_KEY_LENGTH && isKeyChar(s.charAt(keyStart - 1))) {
					keyStart--;
				}
			}
			if (keyStart >= keyEnd || !this.keys.isSensitive(s, keyStart, keyEnd)) {
				continue;
			}
			int valueStart = i + 1;
			while (valueStart < n && isBlank(s.charAt(valueStart))) {
				valueStart++;
			}
			if (valueStart >= n) {
				continue;
			}
			int valueEnd = valueEnd(s, valueStart, c == ':');
			char first = s.charAt(valueStart);
			if (first == '"' || first == '\'') {
				valueStart++;
				valueEnd = Math.max(valueStart, valueEnd - 1);
			}
			else if (first == '\\' && valueStart + 1 < n && s.charAt(valueStart + 1) == '"') {
				valueStart += 2;
				valueEnd = Math.max(valueStart, valueEnd - 2);
			}
			if (valueEnd <= valueStart || s.regionMatches(valueStart, this.replacement, 0, this.replacement.length())
					&& valueEnd - valueStart == this.replacement.length()) {
				continue;
			}
			if (out == null) {
				out = buffer();
			}
			out.append(s, last, valueStart).append(this.replacement);
			last = valueEnd;
			from = valueEnd;
		}
		return (out == null) ? s : result(out.append(s, last, n));
	}

	/** The thread's output buffer, empty. */
	private static StringBuilder buffer() {
		StringBuilder buffer = SCRATCH.get().out;
		buffer.setLength(0);
		return buffer;
	}

	/** What the buffer holds; the buffer is free again. */
	private static String result(StringBuilder buffer) {
		String result = buffer.toString();
		if (buffer.capacity() > MAX_KEPT_BUFFER) {
			SCRATCH.remove();
		}
		return result;
	}

	/** End of the value starting at {@code start}: quotes and brackets included. */
	private int valueEnd(String s, int start, boolean afterColon) {
		int n = s.length();
		char first = s.charAt(start);
		if (first == '"' || first == '\'') {
			int end = start + 1;
			while (end < n && s.charAt(end) != first) {
				end += (s.charAt(end) == '\\' && end + 1 < n && s.charAt(end + 1) != first) ? 2 : 1;
			}
			return Math.min(end + 1, n);
		}
		if (first == '\\' && start + 1 < n && s.charAt(start + 1) == '"') {
			int close = s.indexOf("\\\"", start + 2);
			return (close < 0) ? n : close + 2;
		}
		if (first == '[' || first == '{') {
			return closingBracket(s, start);
		}
		int end = start;
		while (end < n) {
			char c = s.charAt(end);
			if (c == this.replacementStart && s.startsWith(this.replacement, end)) {
				// An earlier rule already replaced part of this value: keep it whole.
				end += this.replacement.length();
			}
			else if (endsValue(c) || (isBlank(c) && (!afterColon || startsPair(s, end + 1)))) {
				break;
			}
			else {
				end++;
			}
		}
		while (end > start && isBlank(s.charAt(end - 1))) {
			end--;
		}
		return end;
	}

	/** The index after the bracket that closes the one at {@code start}, quotes respected. */
	private static int closingBracket(String s, int start) {
		int depth = 0;
		char quote = 0;
		int n = s.length();
		for (int i = start; i < n; i++) {
			char c = s.charAt(i);
			if (quote != 0) {
				if (c == '\\') {
					i++;
				}
				else if (c == quote) {
					quote = 0;
				}
			}
			else if (c == '"' || c == '\'') {
				quote = c;
			}
			else if (c == '[' || c == '{') {
				depth++;
			}
			else if ((c == ']' || c == '}') && --depth == 0) {
				return i + 1;
			}
		}
		return n;
	}

	/** Whether a {@code key=} or {@code key:} starts at {@code from}, after optional blanks. */
	private static boolean startsPair(String s, int from) {
		int i = from;
		int n = s.length();
		while (i < n && isBlank(s.charAt(i))) {
			i++;
		}
		int keyStart = i;
		while (i < n && isKeyChar(s.charAt(i)) && i - keyStart < MAX_KEY_LENGTH) {
			i++;
		}
		if (i == keyStart) {
			return false;
		}
		while (i < n && isBlank(s.charAt(i))) {
			i++;
		}
		return i < n && (s.charAt(i) == '=' || s.charAt(i) == ':');
	}

	private static boolean endsValue(char c) {
		switch (c) {
			case '&', ',', ';', ')', '}', ']', '"', '\'', '\n', '\r', '<', '>':
				return true;
			default:
				return false;
		}
	}

	private static boolean hasPercentEscape(String s) {
		int percent = s.indexOf('%');
		while (percent >= 0 && percent + 2 < s.length()) {
			if (Character.digit(s.charAt(percent + 1), 16) >= 0 && Character.digit(s.charAt(percent + 2), 16) >= 0) {
				return true;
			}
			percent = s.indexOf('%', percent + 1);
		}
		return false;
	}

	private static @Nullable String decode(String s) {
		if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
			return s;
		}
		try {
			return URLDecoder.decode(s, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static boolean isBlank(char c) {
		return c == ' ' || c == '\t';
	}

	private static boolean isKeyChar(char c) {
		return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private static final class Scratch {

		final StringBuilder out = new StringBuilder(512);

		// Digit groups of a card number candidate (scrubCardNumbers).
		final int[] starts = new int[32];

		final int[] ends = new int[32];

	}

	/**
	 * Which rules can match, as bits. A bit may be set when its rule then finds nothing, never the
	 * other way round. Short text is looked at in one loop that notes which marker characters
	 * occur (a table look-up per character); longer text is searched with {@code String.indexOf},
	 * which skips characters far faster than any loop, and only where a marker occurs does a rule
	 * look closer.
	 */
	static final class Hints {

		static final int PEM = 1;

		static final int JWT = 1 << 1;

		static final int AUTH_SCHEME = 1 << 2;

		static final int URL = 1 << 3;

		static final int UPPER_RUN = 1 << 4;

		static final int SEPARATOR = 1 << 5;

		static final int CARD = 1 << 6;

		// Not a rule: the text holds a '%', so it may be URL-encoded (TextScrubber#scrub).
		static final int PERCENT = 1 << 7;

		// Below this length one loop costs less than the dozen indexOf calls.
		private static final int SHORT = 40;

		// Marker characters, as bits of `seen`.
		private static final int DIGIT = 1;

		private static final int EQUALS = 1 << 1;

		private static final int COLON = 1 << 2;

		private static final int AT = 1 << 3;

		private static final int CAPITAL_J = 1 << 4;

		private static final int CAPITAL_A = 1 << 5;

		private static final int DASH = 1 << 6;

		private static final int BLANK = 1 << 7;

		private static final int PERCENT_SIGN = 1 << 8;

		private static final int[] MARKERS = new int[128];

		static {
			for (char c = '0'; c <= '9'; c++) {
				MARKERS[c] = DIGIT;
			}
			MARKERS['='] = EQUALS;
			MARKERS[':'] = COLON;
			MARKERS['@'] = AT;
			MARKERS['J'] = CAPITAL_J;
			MARKERS['A'] = CAPITAL_A;
			MARKERS['-'] = DASH;
			MARKERS[' '] = BLANK;
			MARKERS['\t'] = BLANK;
			MARKERS['%'] = PERCENT_SIGN;
		}

		// "-----BEGIN" + "PRIVATE KEY-----", the shortest text the PEM pattern matches.
		private static final int MIN_PEM_LENGTH = 26;

		// 13 digits, the shortest card number.
		private static final int MIN_CARD_DIGITS = 13;

		// A scheme word of five letters, a blank and six characters of credential.
		private static final int MIN_SCHEME_LENGTH = 12;

		// An access key id: 4 letters and 16 more letters or digits.
		private static final int AWS_KEY_LENGTH = 20;

		private Hints() {
		}

		static int of(String s) {
			return (s.length() < SHORT) ? ofShort(s) : ofLong(s);
		}

		private static int ofShort(String s) {
			// One table look-up per character, nothing else in the loop: most short texts (map
			// keys, header values, names) hold no marker, or only ones that rule out every rule
			// right after the loop. DIGIT is 1, so adding the marker's low bit counts digits.
			int seen = 0;
			int digits = 0;
			int n = s.length();
			for (int i = 0; i < n; i++) {
				char c = s.charAt(i);
				if (c < 128) {
					int marker = MARKERS[c];
					seen |= marker;
					digits += marker & DIGIT;
				}
			}
			if (seen == 0) {
				return 0;
			}
			int flags = 0;
			if ((seen & PERCENT_SIGN) != 0) {
				flags |= PERCENT;
			}
			// Words before blanks are compared only in text long enough to hold a credential.
			if ((seen & BLANK) != 0 && n >= MIN_SCHEME_LENGTH && hasSchemeWordBeforeBlank(s)) {
				flags |= AUTH_SCHEME;
			}
			if ((seen & (EQUALS | COLON)) != 0) {
				flags |= SEPARATOR;
			}
			if (digits >= MIN_CARD_DIGITS) {
				flags |= CARD;
			}
			if ((seen & CAPITAL_J) != 0 && contains(s, "eyJ", 'J')) {
				flags |= JWT;
			}
			if ((seen & (COLON | AT)) == (COLON | AT) && contains(s, "://", '/')) {
				flags |= URL;
			}
			if ((seen & CAPITAL_A) != 0 && n >= AWS_KEY_LENGTH && hasAwsKeyShape(s)) {
				flags |= UPPER_RUN;
			}
			if ((seen & DASH) != 0 && n >= MIN_PEM_LENGTH && contains(s, "PRIVATE KEY", 'K')
					&& s.indexOf("-----") >= 0) {
				flags |= PEM;
			}
			return flags;
		}

		private static int ofLong(String s) {
			// The card scan itself looks at one in 13 characters outside long digit runs.
			int flags = CARD;
			if (s.indexOf('%') >= 0) {
				flags |= PERCENT;
			}
			boolean colon = s.indexOf(':') >= 0;
			if (colon || s.indexOf('=') >= 0) {
				flags |= SEPARATOR;
			}
			if (contains(s, "eyJ", 'J')) {
				flags |= JWT;
			}
			if (colon && s.indexOf('@') >= 0 && contains(s, "://", '/')) {
				flags |= URL;
			}
			if (hasAwsKeyShape(s)) {
				flags |= UPPER_RUN;
			}
			if (hasSchemeWordBeforeBlank(s)) {
				flags |= AUTH_SCHEME;
			}
			if (contains(s, "PRIVATE KEY", 'K') && s.indexOf("-----") >= 0) {
				flags |= PEM;
			}
			return flags;
		}

		/**
		 * Whether the text holds the word, found by where its character {@code rare} occurs:
		 * String.indexOf(char) skips text several times faster than String.indexOf(String), and
		 * the character chosen is one that ordinary text seldom holds.
		 */
		private static boolean contains(String s, String word, char rare) {
			int offset = word.indexOf(rare);
			for (int i = s.indexOf(rare, offset); i >= 0; i = s.indexOf(rare, i + 1)) {
				if (s.startsWith(word, i - offset)) {
					return true;
				}
			}
			return false;
		}

		/**
		 * Whether "bearer", "basic", "token" or "digest" (any case) stands right before a blank.
		 * Blanks are found with indexOf; at each, one look at the letter before it rules most out.
		 */
		private static boolean hasSchemeWordBeforeBlank(String s) {
			return schemeWordBefore(s, ' ') || schemeWordBefore(s, '\t');
		}

		private static boolean schemeWordBefore(String s, char blank) {
			for (int i = s.indexOf(blank, 1); i >= 0; i = s.indexOf(blank, i + 1)) {
				if (endsWithSchemeWord(s, i)) {
					return true;
				}
			}
			return false;
		}

		/**
		 * Whether the text holds what the access key id pattern needs: a known prefix and 16
		 * more capital letters or digits, neither run on from a capital letter or digit. The
		 * pattern itself is costly on long text, so it runs only then.
		 */
		private static boolean hasAwsKeyShape(String s) {
			int n = s.length();
			int a = s.indexOf('A');
			while (a >= 0 && a + AWS_KEY_LENGTH <= n) {
				if ((a > 0 && isUpperOrDigit(s.charAt(a - 1))) || !isAwsPrefix(s, a)) {
					a = s.indexOf('A', a + 1);
					continue;
				}
				int k = a + 4;
				while (k < a + AWS_KEY_LENGTH && isUpperOrDigit(s.charAt(k))) {
					k++;
				}
				if (k < a + AWS_KEY_LENGTH) {
					// No 'A' before k can start a key either: its 20 characters would cross k.
					a = s.indexOf('A', k + 1);
				}
				else if (k < n && isUpperOrDigit(s.charAt(k))) {
					a = s.indexOf('A', a + 1);
				}
				else {
					return true;
				}
			}
			return false;
		}

		// AKIA, ASIA, ABIA, ACCA, AGPA, AIDA, AIPA, ANPA, ANVA, AROA, APKA, ASCA (the 'A' is at `a`).
		private static boolean isAwsPrefix(String s, int a) {
			char b = s.charAt(a + 1);
			char c = s.charAt(a + 2);
			char d = s.charAt(a + 3);
			if (d != 'A') {
				return false;
			}
			switch (b) {
				case 'K':
					return c == 'I';
				case 'S':
					return c == 'I' || c == 'C';
				case 'B':
					return c == 'I';
				case 'C':
					return c == 'C';
				case 'G':
					return c == 'P';
				case 'I':
					return c == 'D' || c == 'P';
				case 'N':
					return c == 'P' || c == 'V';
				case 'R':
					return c == 'O';
				case 'P':
					return c == 'K';
				default:
					return false;
			}
		}

		private static boolean isUpperOrDigit(char c) {
			return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		}

		// Checked on blanks only, after a letter that ends one of the words.
		private static boolean endsWithSchemeWord(String s, int end) {
			switch (s.charAt(end - 1) | 0x20) {
				case 'r':
					return end >= 6 && lowerEquals(s, end - 6, "bearer");
				case 'c':
					return end >= 5 && lowerEquals(s, end - 5, "basic");
				case 'n':
					return end >= 5 && lowerEquals(s, end - 5, "token");
				case 't':
					return end >= 6 && lowerEquals(s, end - 6, "digest");
				default:
					return false;
			}
		}

		private static boolean lowerEquals(String s, int from, String lower) {
			for (int i = 0; i < lower.length(); i++) {
				if ((s.charAt(from + i) | 0x20) != lower.charAt(i)) {
					return false;
				}
			}
			return true;
		}

	}

}
