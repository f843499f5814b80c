package dev.sentryboot.autoconfigure.jdbc;

import java.util.function.Consumer;

import dev.sentryboot.autoconfigure.SentrySdk;
import io.sentry.IScopes;
import io.sentry.ISentryLifecycleToken;
import io.sentry.ITransaction;
import io.sentry.TransactionContext;
import io.sentry.TransactionOptions;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs JDBC work the way a request would: on this context's scopes made current, inside a bound
 * transaction, then captures an exception and finishes the transaction, so both an event and a
 * transaction reach the in-test Sentry endpoint.
 */
final class SentryTransactionWork {

	private SentryTransactionWork() {
	}

	static void inTransaction(AssertableApplicationContext context, Consumer<JdbcTemplate> work) {
		assertThat(context).hasNotFailed();
		IScopes scopes = context.getBean(SentrySdk.class).getScopes().forkedScopes("test");
		try (ISentryLifecycleToken ignored = scopes.makeCurrent()) {
			TransactionOptions options = new TransactionOptions();
			options.setBindToScope(true);
			ITransaction transaction = scopes.startTransaction(new TransactionContext("checkout", "task"), options);
			try {
				work.accept(context.getBean(JdbcTemplate.class));
			}
			finally {
				scopes.captureException(new IllegalStateException("checkout failed"));
				transaction.finish();
			}
		}
	}

}
