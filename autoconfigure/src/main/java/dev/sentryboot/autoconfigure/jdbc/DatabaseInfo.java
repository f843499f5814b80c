package dev.sentryboot.autoconfigure.jdbc;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The database behind a DataSource, as Sentry's {@code db.system} and {@code db.name} span data.
 * Read from the JDBC URL the driver reports, which every driver knows without asking the server.
 */
record DatabaseInfo(String system, @Nullable String name) {

	static final DatabaseInfo UNKNOWN = new DatabaseInfo("other_sql", null);

	// Sub-protocols whose name differs from the db.system value Sentry (and OpenTelemetry) use.
	private static final Map<String, String> SYSTEMS = Map.of("sqlserver", "mssql", "jtds", "mssql",
			"postgres", "postgresql", "pgsql", "postgresql", "as400", "db2");

	// Wrappers that put the real sub-protocol after their own ("jdbc:tc:postgresql:...").
	private static final Set<String> WRAPPERS = Set.of("tc", "p6spy", "log4jdbc", "otel");

	static DatabaseInfo fromUrl(@Nullable String url) {
		if (url == null || !url.regionMatches(true, 0, "jdbc:", 0, 5)) {
			return UNKNOWN;
		}
		String rest = url.substring(5);
		String protocol = subProtocol(rest);
		while (WRAPPERS.contains(protocol) && rest.length() > protocol.length() + 1) {
			rest = rest.substring(protocol.length() + 1);
			protocol = subProtocol(rest);
		}
		if (protocol.isEmpty()) {
			return UNKNOWN;
		}
		return new DatabaseInfo(SYSTEMS.getOrDefault(protocol, protocol), name(rest.substring(protocol.length())));
	}

	private static String subProtocol(String rest) {
		int colon = rest.indexOf(':');
		return ((colon < 0) ? rest : rest.substring(0, colon)).toLowerCase(Locale.ROOT);
	}

	private static @Nullable String name(String location) {
		String named = parameter(location, "databasename=");
		if (named == null) {
			named = parameter(location, "database=");
		}
		if (named != null) {
			return named;
		}
		int end = location.length();
		for (char separator : new char[] { ';', '?' }) {
			int at = location.indexOf(separator);
			if (at >= 0 && at < end) {
				end = at;
			}
		}
		String path = location.substring(0, end);
		int authority = path.indexOf("//");
		if (authority >= 0) {
			int slash = path.indexOf('/', authority + 2);
			if (slash < 0) {
				return null;
			}
			path = path.substring(slash + 1);
		}
		int last = Math.max(path.lastIndexOf('/'), Math.max(path.lastIndexOf(':'), path.lastIndexOf('\\')));
		String name = path.substring(last + 1);
		return name.isEmpty() ? null : name;
	}

	private static @Nullable String parameter(String location, String key) {
		int at = location.toLowerCase(Locale.ROOT).indexOf(key);
		if (at < 0) {
			return null;
		}
		int start = at + key.length();
		int end = start;
		while (end < location.length() && ";&?".indexOf(location.charAt(end)) < 0) {
			end++;
		}
		return (end > start) ? location.substring(start, end) : null;
	}

}
