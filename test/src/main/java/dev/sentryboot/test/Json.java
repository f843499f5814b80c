package dev.sentryboot.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** Reading Sentry's JSON as the local store decoded it: maps, lists, strings and numbers. */
final class Json {

	private Json() {
	}

	static Map<String, Object> object(@Nullable Object value) {
		Map<String, Object> object = new LinkedHashMap<>();
		if (value instanceof Map<?, ?> map) {
			map.forEach((key, entry) -> object.put(String.valueOf(key), entry));
		}
		return object;
	}

	static List<Map<String, Object>> objects(@Nullable Object value) {
		List<Map<String, Object>> objects = new ArrayList<>();
		if (value instanceof List<?> list) {
			for (Object element : list) {
				if (element instanceof Map<?, ?>) {
					objects.add(object(element));
				}
			}
		}
		return objects;
	}

	static @Nullable String string(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	static Map<String, String> strings(@Nullable Object value) {
		Map<String, String> strings = new LinkedHashMap<>();
		object(value).forEach((key, entry) -> strings.put(key, String.valueOf(entry)));
		return strings;
	}

}
