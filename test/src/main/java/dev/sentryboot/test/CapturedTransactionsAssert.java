package dev.sentryboot.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.assertj.core.api.FactoryBasedNavigableListAssert;

/**
 * Assertions on a list of captured transactions; {@code first()}, {@code last()},
 * {@code element(i)}, {@code singleElement()} and {@link #hasTransactionNamed(String)} go on
 * with {@link CapturedTransactionAssert}.
 */
public final class CapturedTransactionsAssert extends
		FactoryBasedNavigableListAssert<CapturedTransactionsAssert, List<CapturedTransaction>, CapturedTransaction, CapturedTransactionAssert> {

	CapturedTransactionsAssert(List<CapturedTransaction> transactions) {
		super(transactions, CapturedTransactionsAssert.class, CapturedTransactionAssert::new);
		describedAs("Sentry transactions");
	}

	/**
	 * Verifies that a transaction has the given name, and goes on with the first one that has it.
	 */
	public CapturedTransactionAssert hasTransactionNamed(String name) {
		isNotNull();
		for (CapturedTransaction transaction : this.actual) {
			if (Objects.equals(transaction.name(), name)) {
				return new CapturedTransactionAssert(transaction);
			}
		}
		throw failure("%nExpecting a Sentry transaction named:%n  %s%nbut the transactions were named:%n  %s", name,
				this.actual.stream().map(CapturedTransaction::name).toList());
	}

	@Override
	protected CapturedTransactionsAssert newAbstractIterableAssert(Iterable<? extends CapturedTransaction> iterable) {
		List<CapturedTransaction> transactions = new ArrayList<>();
		iterable.forEach(transactions::add);
		return new CapturedTransactionsAssert(transactions);
	}

}
