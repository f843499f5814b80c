package dev.sentryboot.test;

import java.util.ArrayList;
import java.util.List;

import org.assertj.core.api.FactoryBasedNavigableListAssert;

/**
 * Assertions on a list of captured error events; {@code first()}, {@code last()},
 * {@code element(i)} and {@code singleElement()} go on with {@link CapturedEventAssert}.
 */
public final class CapturedEventsAssert
		extends FactoryBasedNavigableListAssert<CapturedEventsAssert, List<CapturedEvent>, CapturedEvent, CapturedEventAssert> {

	CapturedEventsAssert(List<CapturedEvent> events) {
		super(events, CapturedEventsAssert.class, CapturedEventAssert::new);
		describedAs("Sentry error events");
	}

	@Override
	protected CapturedEventsAssert newAbstractIterableAssert(Iterable<? extends CapturedEvent> iterable) {
		// AssertJ's default would lose this type (and its navigation) after filteredOn(...).
		List<CapturedEvent> events = new ArrayList<>();
		iterable.forEach(events::add);
		return new CapturedEventsAssert(events);
	}

}
