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
 * sensitive. One scan of the text decides which of the (costlier) rules can match at all, so
 * ordinary text costs that one scan.
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

	private final SensitiveKeys keys;

	private final String replacement;

	private final List<Pattern> extraPatterns;

	TextScrubber(SensitiveKeys keys, String replacement, List<Pattern> extraPatterns) {
		this.keys = keys;
		this.replacement = replacement;
		this.extraPatterns = List.copyOf(extraPatterns);
	}

	String scrub(String text) {
		String s = (text.length() > MAX_LENGTH) ? text.substring(0, MAX_LENGTH) + "...[truncated]" : text;
		if (hasPercentEscape(s)) {
			// Secrets hide behind URL encoding (%3A%2F%2F, %20): look at the decoded text, and
			// send it decoded when it held one.
			String decoded = decode(s);
			if (decoded != null && !decoded.equals(s)) {
				String scrubbed = scrubPlain(decoded);
				// Decoding only reveals: clean once decoded means clean as it was.
				return scrubbed.equals(decoded) ? s : scrubbed;
			}
		}
		return scrubPlain(s);
	}

	/**
	 * A query string ({@code a=1&token=x}), each parameter decoded before it is judged; parameters
	 * left as they were stay encoded.
	 */
	String scrubQuery(String query) {
		String q = (query.length() > MAX_LENGTH) ? query.substring(0, MAX_LENGTH) : query;
		StringBuilder out = new StringBuilder(q.length());
		int start = 0;
		while (start <= q.length()) {
			int end = q.indexOf('&', start);
			if (end < 0) {
				end = q.length();
			}
			String parameter = q.substring(start, end);
			int equals = parameter.indexOf('=');
			String name = (equals < 0) ? parameter : parameter.substring(0, equals);
			String decodedName = decode(name);
			if (start > 0) {
				out.append('&');
			}
			if (equals >= 0 && this.keys.isSensitive((decodedName != null) ? decodedName : name)) {
				out.append(name).append('=').append(this.replacement);
			}
			else {
				String decoded = decode(parameter);
				String scrubbed = (decoded != null) ? scrubPlain(decoded) : this.replacement;
				out.append((decoded != null && scrubbed.equals(decoded)) ? parameter : scrubbed);
			}
			start = end + 1;
		}
		return out.toString();
	}

	private String scrubPlain(String text) {
		String s = text;
		int hints = Hints.of(s);
		if ((hints & Hints.PEM) != 0) {
			s = replaceAll(PEM, s);
		}
		if ((hints & Hints.JWT) != 0) {
			s = replaceAll(JWT, s);
		}
		if ((hints & Hints.URL) != 0) {
			s = URL_CREDENTIALS.matcher(s).replaceAll("$1" + Matcher.quoteReplacement(this.replacement) + "@");
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
		return pattern.matcher(s).replaceAll(Matcher.quoteReplacement(this.replacement));
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
				out = new StringBuilder(s.length());
			}
			out.append(s, last, matcher.start(2)).append(this.replacement);
			last = matcher.end(2);
		}
		return (out == null) ? s : out.append(s, last, s.length()).toString();
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
		int[] starts = new int[32];
		int[] ends = new int[32];
		int i = 0;
		while (i < n) {
			if (!isDigit(s.charAt(i))) {
				i++;
				continue;
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
					out = new StringBuilder(n);
				}
				out.append(s, last, starts[g]).append(this.replacement);
				last = ends[matchedEnd];
				g = matchedEnd + 1;
			}
			i = Math.max(j, i + 1);
		}
		return (out == null) ? s : out.append(s, last, n).toString();
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
		for (int i = 0; i < n; i++) {
			char c = s.charAt(i);
			if (c != '=' && c != ':') {
				continue;
			}
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
				int open = s.lastIndexOf(quote, close - 1);
				if (open < last || close - open > MAX_KEY_LENGTH) {
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
				out = new StringBuilder(n);
			}
			out.append(s, last, valueStart).append(this.replacement);
			last = valueEnd;
			i = valueEnd - 1;
		}
		return (out == null) ? s : out.append(s, last, n).toString();
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
			if (s.startsWith(this.replacement, end)) {
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

	/**
	 * What one scan of the text tells about which rules can match, as bits. Plain locals and a
	 * fast path for lower-case letters: this loop sees every character of every value.
	 */
	static final class Hints {

		static final int PEM = 1;

		static final int JWT = 1 << 1;

		static final int AUTH_SCHEME = 1 << 2;

		static final int URL = 1 << 3;

		static final int UPPER_RUN = 1 << 4;

		static final int SEPARATOR = 1 << 5;

		static final int CARD = 1 << 6;

		private Hints() {
		}

		static int of(String s) {
			int flags = 0;
			int upper = 0;
			int digits = 0;
			int dashes = 0;
			boolean at = false;
			boolean scheme = false;
			boolean dashRun = false;
			int n = s.length();
			for (int i = 0; i < n; i++) {
				char c = s.charAt(i);
				if (c >= 'a' && c <= 'z') {
					if (digits >= 13) {
						flags |= CARD;
					}
					if (upper >= 20) {
						flags |= UPPER_RUN;
					}
					digits = 0;
					upper = 0;
					dashes = 0;
					if (c == 'y' && i > 0 && i + 1 < n && s.charAt(i - 1) == 'e' && s.charAt(i + 1) == 'J') {
						flags |= JWT;
					}
					continue;
				}
				if (c >= '0' && c <= '9') {
					digits++;
					upper++;
					dashes = 0;
					continue;
				}
				if (c >= 'A' && c <= 'Z') {
					if (digits >= 13) {
						flags |= CARD;
					}
					digits = 0;
					upper++;
					dashes = 0;
					continue;
				}
				if ((c == ' ' || c == '-') && digits > 0 && i + 1 < n && isDigit(s.charAt(i + 1))) {
					// A card number's group separator: the digit run goes on.
					upper = 0;
					continue;
				}
				if (digits >= 13) {
					flags |= CARD;
				}
				if (upper >= 20) {
					flags |= UPPER_RUN;
				}
				digits = 0;
				upper = 0;
				if (c == '-') {
					dashRun |= ++dashes >= 5;
					continue;
				}
				dashes = 0;
				switch (c) {
					case '=' -> flags |= SEPARATOR;
					case ':' -> {
						flags |= SEPARATOR;
						scheme |= i + 2 < n && s.charAt(i + 1) == '/' && s.charAt(i + 2) == '/';
					}
					case '@' -> at = true;
					case ' ', '\t' -> {
						if (i > 0 && endsWithSchemeWord(s, i)) {
							flags |= AUTH_SCHEME;
						}
					}
					default -> {
					}
				}
			}
			if (digits >= 13) {
				flags |= CARD;
			}
			if (upper >= 20) {
				flags |= UPPER_RUN;
			}
			if (scheme && at) {
				flags |= URL;
			}
			if (dashRun && s.contains("PRIVATE KEY")) {
				flags |= PEM;
			}
			return flags;
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
