package dev.sentryboot.autoconfigure.jdbc;

import java.sql.Connection;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import net.ttddyy.dsproxy.ConnectionIdManager;

/**
 * Connection ids without bookkeeping. datasource-proxy's default manager records every open id
 * in a set guarded by one lock, taken on each getConnection and close: contention for nothing,
 * since nothing here asks which connections are open.
 */
final class CountingConnectionIdManager implements ConnectionIdManager {

	private final AtomicLong ids = new AtomicLong();

	@Override
	public String getId(Connection connection) {
		return Long.toString(this.ids.incrementAndGet());
	}

	@Override
	public void addClosedId(String closedId) {
	}

	@Override
	public Set<String> getOpenConnectionIds() {
		return Set.of();
	}

}
