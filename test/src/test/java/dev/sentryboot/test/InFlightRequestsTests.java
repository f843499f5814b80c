package dev.sentryboot.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightRequestsTests {

	private final InFlightRequests requests = new InFlightRequests();

	@Test
	void countsEachRequestUntilItEndsOnce() {
		Runnable first = this.requests.start();
		Runnable second = this.requests.start();
		assertThat(this.requests.count()).isEqualTo(2);

		first.run();
		first.run();
		assertThat(this.requests.count()).isEqualTo(1);
		second.run();
		assertThat(this.requests.count()).isZero();
	}

	@Test
	void forgottenRequestThatEndsLaterDoesNotHideANewOne() {
		Runnable abandoned = this.requests.start();
		this.requests.forget();
		assertThat(this.requests.count()).isZero();

		Runnable current = this.requests.start();
		abandoned.run();
		assertThat(this.requests.count()).isEqualTo(1);
		current.run();
		assertThat(this.requests.count()).isZero();
	}

	@Test
	void waitsUntilTheLastRequestEnds() throws InterruptedException {
		Runnable request = this.requests.start();
		Thread server = new Thread(() -> {
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			request.run();
		});
		server.start();

		this.requests.awaitNone(10_000);

		assertThat(this.requests.count()).isZero();
		server.join();
	}

}
