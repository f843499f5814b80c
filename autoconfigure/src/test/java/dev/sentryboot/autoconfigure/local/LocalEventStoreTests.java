package dev.sentryboot.autoconfigure.local;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LocalEventStoreTests {

	@Test
	void keepsNewestFirstAndDropsOldestWhenFull() {
		LocalEventStore store = new LocalEventStore(2);
		store.add(Map.of("event_id", "1"));
		store.add(Map.of("event_id", "2"));
		store.add(Map.of("event_id", "3"));
		assertThat(store.events()).extracting((event) -> event.get("event_id")).containsExactly("3", "2");
	}

	@Test
	void separatesEventsFromTransactions() {
		LocalEventStore store = new LocalEventStore(10);
		store.add(Map.of("event_id", "e"));
		store.add(Map.of("event_id", "t", "type", "transaction"));
		assertThat(store.events()).extracting((event) -> event.get("event_id")).containsExactly("e");
		assertThat(store.transactions()).extracting((event) -> event.get("event_id")).containsExactly("t");
		assertThat(store.all()).hasSize(2);
	}

	@Test
	void clears() {
		LocalEventStore store = new LocalEventStore(10);
		store.add(Map.of("event_id", "e"));
		store.clear();
		assertThat(store.all()).isEmpty();
	}

	@Test
	void tracksDeliveryOfStoredItemsOnly() {
		LocalEventStore store = new LocalEventStore(1);
		store.add(Map.of("event_id", "1"), LocalEventStore.QUEUED);
		assertThat(store.delivery(store.events().get(0)).status()).isEqualTo("queued");

		store.updateDelivery("1", "dropped", "ratelimit_backoff");
		assertThat(store.delivery(store.events().get(0)))
			.satisfies((delivery) -> assertThat(delivery.status()).isEqualTo("dropped"))
			.satisfies((delivery) -> assertThat(delivery.reason()).isEqualTo("ratelimit_backoff"));

		store.add(Map.of("event_id", "2"));
		store.updateDelivery("1", "sent", null);
		assertThat(store.delivery(Map.of("event_id", "1"))).isNull();
		assertThat(store.delivery(store.events().get(0)).status()).isEqualTo("stored");
		store.clear();
		assertThat(store.delivery(Map.of("event_id", "2"))).isNull();
	}

	@Test
	void rejectsCapacityBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LocalEventStore(0));
	}

}
