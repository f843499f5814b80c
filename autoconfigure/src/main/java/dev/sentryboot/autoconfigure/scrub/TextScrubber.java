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
 * sensitive. A single pass over the text decides which of the (costlier) rules can match at all,
 * so ordinary messages cost one scan.
 */
final class TextScrubber {

	/** Longer text is cut first: work per field stays bounded whatever the input. */
	static final int MAX_LENGTH = 16 * 1024;

	private static final Pattern PEM = Pattern
		.compile("-----BEGIN[A-Z ]{0,40}PRIVATE KEY-----[\\s\\S]*?(?:-----END[A-Z ]{0,40}PRIVATE KEY-----|$)");

	private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]*");

	private static final Pattern AUTH_SCHEME = Pattern
		.compile("(?i)\\b(bearer|basic|token|digest)(\\s+)([A-Za-z0-9\\-._~+/]{6,}=*)");

	private static final Pattern URL_CREDENTIALS = Pattern.compile("([A-Za-z][A-Za-z0-9+.\\-]{0,20}://)[^\\s/@:]*:[^\\s/@]*@");

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
				if (!scrubbed.equals(decoded)) {
					return scrubbed;
				}
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
			if (out.length() > 0 || start > 0) {
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

	private String scrubPlain(String s) {
		Hints hints = Hints.of(s);
		if (hints.pem) {
			s = replaceAll(PEM, s);
		}
		if (hints.jwt) {
			s = replaceAll(JWT, s);
		}
		if (hints.authScheme) {
			s = scrubAuthSchemes(s);
		}
		if (hints.url) {
			s = URL_CREDENTIALS.matcher(s).replaceAll("$1" + Matcher.quoteReplacement(this.replacement) + "@");
		}
		if (hints.upperRun) {
			s = replaceAll(AWS_KEY_ID, s);
		}
		if (hints.digits >= 13) {
			s = scrubCardNumbers(s);
		}
		if (hints.separator) {
			s = scrubPairs(s);
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
		while (matcher.find()) {
			String credential = matcher.group(3);
			// "basic authentication", "token expired": plain words, not credentials.
			if (credential.chars().allMatch((c) -> c >= 'a' && c <= 'z')) {
				continue;
			}
			if (out == null) {
				out = new StringBuilder(s.length());
			}
			out.append(s, last, matcher.start(3)).append(this.replacement);
			last = matcher.end(3);
		}
		return (out == null) ? s : out.append(s, last, s.length()).toString();
	}

	/** Digit runs of 13 to 19 digits, single spaces or dashes between, that pass the Luhn check. */
	private String scrubCardNumbers(String s) {
		StringBuilder out = null;
		int last = 0;
		int n = s.length();
		int i = 0;
		while (i < n) {
			if (!isDigit(s.charAt(i)) || (i > 0 && isDigit(s.charAt(i - 1)))) {
				i++;
				continue;
			}
			int end = i;
			int digits = 0;
			int j = i;
			while (j < n && digits <= 19) {
				char c = s.charAt(j);
				if (isDigit(c)) {
					digits++;
					end = j + 1;
					j++;
				}
				else if ((c == ' ' || c == '-') && j + 1 < n && isDigit(s.charAt(j + 1)) && isDigit(s.charAt(j - 1))) {
					j++;
				}
				else {
					break;
				}
			}
			boolean followedByDigit = end < n && isDigit(s.charAt(end));
			if (digits >= 13 && digits <= 19 && !followedByDigit && luhn(s, i, end)) {
				if (out == null) {
					out = new StringBuilder(n);
				}
				out.append(s, last, i).append(this.replacement);
				last = end;
			}
			i = Math.max(end, i + 1);
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
	 * {@code password=x}, {@code token: x}, {@code "secret": "x"}, {@code api_key='x'}: the value
	 * goes when the key is sensitive. After '=' a value ends at white space or a delimiter; after
	 * ':' it may hold spaces ("password: correct horse") and ends at a delimiter or line end.
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
			while (keyEnd > last && s.charAt(keyEnd - 1) == ' ') {
				keyEnd--;
			}
			int keyStart;
			if (keyEnd > last && (s.charAt(keyEnd - 1) == '"' || s.charAt(keyEnd - 1) == '\'')) {
				char quote = s.charAt(keyEnd - 1);
				int open = s.lastIndexOf(quote, keyEnd - 2);
				if (open < last || keyEnd - 1 - open > 128) {
					continue;
				}
				keyStart = open + 1;
				keyEnd = keyEnd - 1;
			}
			else {
				keyStart = keyEnd;
				while (keyStart > last && keyStart > keyEnd - 128 && isKeyChar(s.charAt(keyStart - 1))) {
					keyStart--;
				}
			}
			if (keyStart >= keyEnd || !this.keys.isSensitive(s.substring(keyStart, keyEnd))) {
				continue;
			}
			int valueStart = i + 1;
			while (valueStart < n && s.charAt(valueStart) == ' ') {
				valueStart++;
			}
			if (valueStart >= n) {
				continue;
			}
			int valueEnd;
			char first = s.charAt(valueStart);
			if (first == '"' || first == '\'') {
				valueStart++;
				valueEnd = valueStart;
				while (valueEnd < n && s.charAt(valueEnd) != first) {
					valueEnd += (s.charAt(valueEnd) == '\\') ? 2 : 1;
				}
				valueEnd = Math.min(valueEnd, n);
			}
			else {
				valueEnd = valueStart;
				while (valueEnd < n) {
					if (s.startsWith(this.replacement, valueEnd)) {
						// An earlier rule already replaced part of this value: keep it whole.
						valueEnd += this.replacement.length();
					}
					else if (endsValue(s.charAt(valueEnd), c == ':')) {
						break;
					}
					else {
						valueEnd++;
					}
				}
				while (valueEnd > valueStart && s.charAt(valueEnd - 1) == ' ') {
					valueEnd--;
				}
			}
			if (valueEnd <= valueStart || s.startsWith(this.replacement, valueStart)) {
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

	private static boolean endsValue(char c, boolean spacesAllowed) {
		switch (c) {
			case '&', ',', ';', ')', '}', ']', '"', '\'', '\n', '\r', '<', '>':
				return true;
			case ' ', '\t':
				return !spacesAllowed;
			default:
				return false;
		}
	}

	private static boolean isKeyChar(char c) {
		return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	/** What one scan of the text tells about which rules can match. */
	private static final class Hints {

		boolean pem;

		boolean jwt;

		boolean authScheme;

		boolean url;

		boolean upperRun;

		boolean separator;

		int digits;

		static Hints of(String s) {
			Hints hints = new Hints();
			int upper = 0;
			int dashes = 0;
			boolean dashRun = false;
			boolean at = false;
			boolean scheme = false;
			int n = s.length();
			for (int i = 0; i < n; i++) {
				char c = s.charAt(i);
				if (c >= '0' && c <= '9') {
					hints.digits++;
					upper++;
				}
				else if (c >= 'A' && c <= 'Z') {
					upper++;
				}
				else {
					if (upper >= 20) {
						hints.upperRun = true;
					}
					upper = 0;
					dashes = (c == '-') ? dashes + 1 : 0;
					dashRun |= dashes >= 5;
					switch (c) {
						case '=' -> hints.separator = true;
						case ':' -> {
							hints.separator = true;
							if (i + 2 < n && s.charAt(i + 1) == '/' && s.charAt(i + 2) == '/') {
								scheme = true;
							}
						}
						case '@' -> at = true;
						case 'y' -> {
							if (i > 0 && s.charAt(i - 1) == 'e' && i + 1 < n && s.charAt(i + 1) == 'J') {
								hints.jwt = true;
							}
						}
						case ' ', '\t' -> {
							if (i >= 5 && (endsWithIgnoreCase(s, i, "bearer") || endsWithIgnoreCase(s, i, "basic")
									|| endsWithIgnoreCase(s, i, "token") || endsWithIgnoreCase(s, i, "digest"))) {
								hints.authScheme = true;
							}
						}
						default -> {
						}
					}
				}
			}
			if (upper >= 20) {
				hints.upperRun = true;
			}
			hints.url = scheme && at;
			hints.pem = dashRun && s.contains("PRIVATE KEY");
			return hints;
		}

		private static boolean endsWithIgnoreCase(String s, int end, String word) {
			int start = end - word.length();
			return start >= 0 && s.regionMatches(true, start, word, 0, word.length());
		}

	}

}
