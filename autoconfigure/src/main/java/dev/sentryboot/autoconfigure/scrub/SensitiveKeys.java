package dev.sentryboot.autoconfigure.scrub;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a key (header, parameter, map key, tag) names a secret. Keys are split into
 * words ({@code X-Auth-Token}, {@code user_password}, {@code apiKey}, {@code SESSIONID}) and a
 * key is sensitive when its words, or one word cut into known pieces, spell a sensitive term.
 * Matching whole words rather than substrings keeps {@code author} and {@code authority} apart
 * from {@code auth}.
 */
final class SensitiveKeys {

	static final List<String> DEFAULT_TERMS = List.of("password", "passwd", "pwd", "pass", "passphrase", "secret",
			"token",
			"api key", "auth", "authorization", "bearer", "credential", "cookie", "set-cookie", "session", "csrf",
			"xsrf", "card number", "credit card", "cvv", "cvc", "iban", "ssn", "private key", "access key",
			"refresh token", "access token", "client secret", "signature");

	static final List<String> DEFAULT_SAFE_KEYS = List.of("token_type");

	/** Pieces that may stand around a term inside one word: SESSIONID, jsessionid, cvv2, apikeys. */
	private static final Set<String> FILLERS = Set.of("id", "ids", "key", "keys", "x", "j", "s", "my", "user", "api",
			"access", "refresh", "client", "private", "card", "number", "credit", "hash", "value", "old", "new",
			"confirm", "current", "db", "admin", "app", "set", "php", "asp", "net", "aws", "oauth", "sso", "jwt");

	private static final int MAX_KEY_LENGTH = 128;

	private static final int CACHE_SIZE = 8192;

	// Entries per set: a few hundred keys recur event after event, and two of them that meet in
	// a set of one would evict each other every time.
	private static final int WAYS = 4;

	private final Set<String> terms = new HashSet<>();

	private final Set<String> safeKeys = new HashSet<>();

	private final int longestTerm;

	// Keys repeat (header names, JSON fields): remembering the verdict keeps scrubbing cheap. A
	// lossy table of immutable entries, looked up by a region of the text without copying it:
	// racing writers only overwrite each other's entries, never tear one.
	private final Verdict[] cache = new Verdict[CACHE_SIZE];

	SensitiveKeys(Collection<String> terms, Collection<String> safeKeys) {
		int longest = 0;
		for (String term : terms) {
			String normalized = normalize(term);
			if (!normalized.isEmpty()) {
				this.terms.add(normalized);
				longest = Math.max(longest, normalized.length());
			}
		}
		this.longestTerm = longest;
		for (String key : safeKeys) {
			this.safeKeys.add(normalize(key));
		}
	}

	boolean isSensitive(String key) {
		// A whole string's hash is computed once and kept by the string itself: map keys and
		// header names are mostly the same constant strings event after event.
		return isSensitive(key, 0, key.length(), key.hashCode());
	}

	/** Whether the key {@code text[start, end)} is sensitive. */
	boolean isSensitive(String text, int start, int end) {
		// String.hashCode of the region, so that a key found in text and the same key as a whole
		// string share a cache slot. Two characters a step: half the chain of multiplications.
		int hash = 0;
		int i = start;
		for (; i + 1 < end; i += 2) {
			hash = 961 * hash + 31 * text.charAt(i) + text.charAt(i + 1);
		}
		if (i < end) {
			hash = 31 * hash + text.charAt(i);
		}
		return isSensitive(text, start, end, hash);
	}

	private boolean isSensitive(String text, int start, int end, int hash) {
		int length = end - start;
		Verdict[] cache = this.cache;
		int set = ((hash ^ (hash >>> 16)) & (CACHE_SIZE / WAYS - 1)) * WAYS;
		for (int way = set; way < set + WAYS; way++) {
			Verdict known = cache[way];
			if (known == null) {
				break;
			}
			// Hash and length kept in the entry rule out the other keys of the set without reading
			// their strings: each is one more object to fetch, rarely in the CPU's cache while an
			// event is scrubbed.
			if (known.hash == hash && known.length == length
					&& (known.key == text || known.key.regionMatches(0, text, start, length))) {
				return known.sensitive;
			}
		}
		String key = (start == 0 && end == text.length()) ? text : text.substring(start, end);
		boolean sensitive = compute(key);
		// Newest first; the oldest of a full set goes. Racing writers may lose or repeat an
		// entry, never tear one: entries are immutable.
		System.arraycopy(cache, set, cache, set + 1, WAYS - 1);
		cache[set] = new Verdict(key, hash, length, sensitive);
		return sensitive;
	}

	private boolean compute(String key) {
		if (key.isEmpty()) {
			return false;
		}
		if (key.length() > MAX_KEY_LENGTH) {
			// No real key is this long; treat it as free text would be: only whole terms count.
			key = key.substring(0, MAX_KEY_LENGTH);
		}
		if (this.safeKeys.contains(normalize(key))) {
			return false;
		}
		List<String> words = words(key);
		for (int start = 0; start < words.size(); start++) {
			StringBuilder run = new StringBuilder();
			for (int end = start; end < words.size() && end < start + 3; end++) {
				run.append(words.get(end));
				if (isTerm(run)) {
					return true;
				}
			}
			if (spellsTerm(words.get(start))) {
				return true;
			}
		}
		return false;
	}

	/** A term as written, or with a plural "s" or a number after it: apiKeys, apiKey2. */
	private boolean isTerm(StringBuilder run) {
		int end = run.length();
		while (end > 0 && Character.isDigit(run.charAt(end - 1))) {
			end--;
		}
		String stem = run.substring(0, end);
		return this.terms.contains(stem)
				|| (stem.endsWith("s") && this.terms.contains(stem.substring(0, stem.length() - 1)));
	}

	/** Whether one word is made only of known pieces, at least one of them a term. */
	private boolean spellsTerm(String word) {
		int n = word.length();
		// reachable[i]: 0 = no, 1 = yes without a term so far, 2 = yes with a term
		byte[] reachable = new byte[n + 1];
		reachable[0] = 1;
		for (int i = 0; i < n; i++) {
			if (reachable[i] == 0) {
				continue;
			}
			if (Character.isDigit(word.charAt(i))) {
				reachable[i + 1] = (byte) Math.max(reachable[i + 1], reachable[i]);
				continue;
			}
			for (int j = i + 1; j <= n && j - i <= Math.max(this.longestTerm, 8); j++) {
				String piece = word.substring(i, j);
				if (this.terms.contains(piece)) {
					reachable[j] = 2;
				}
				else if (FILLERS.contains(piece)) {
					reachable[j] = (byte) Math.max(reachable[j], reachable[i]);
				}
			}
		}
		return reachable[n] == 2;
	}

	/** Words of a key, lower case: camelCase, acronyms, and any non-alphanumeric separate them. */
	static List<String> words(String key) {
		List<String> words = new ArrayList<>(4);
		StringBuilder current = new StringBuilder();
		int n = key.length();
		for (int i = 0; i < n; i++) {
			char c = key.charAt(i);
			if (!Character.isLetterOrDigit(c)) {
				flush(words, current);
				continue;
			}
			if (Character.isUpperCase(c) && current.length() > 0) {
				char previous = key.charAt(i - 1);
				boolean nextLower = i + 1 < n && Character.isLowerCase(key.charAt(i + 1));
				if (Character.isLowerCase(previous) || Character.isDigit(previous)
						|| (Character.isUpperCase(previous) && nextLower)) {
					flush(words, current);
				}
			}
			current.append(Character.toLowerCase(c));
		}
		flush(words, current);
		return words;
	}

	private static void flush(List<String> words, StringBuilder current) {
		if (current.length() > 0) {
			words.add(current.toString());
			current.setLength(0);
		}
	}

	static String normalize(String key) {
		StringBuilder normalized = new StringBuilder(key.length());
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			if (Character.isLetterOrDigit(c)) {
				normalized.append(Character.toLowerCase(c));
			}
		}
		return normalized.toString();
	}

	private record Verdict(String key, int hash, int length, boolean sensitive) {
	}

}
