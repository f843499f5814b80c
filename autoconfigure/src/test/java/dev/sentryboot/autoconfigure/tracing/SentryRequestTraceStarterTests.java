package dev.sentryboot.autoconfigure.tracing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SentryRequestTraceStarterTests {

	@Test
	void readsW3cTraceparentAsSentryTrace() {
		assertThat(SentryRequestTraceStarter
			.fromTraceparent("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01"))
			.isEqualTo("0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1");
		assertThat(SentryRequestTraceStarter.fromTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"))
			.endsWith("-0");
		// Other flags besides "sampled" (bit 0) do not change the decision; later versions may add fields.
		assertThat(SentryRequestTraceStarter.fromTraceparent("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03-xyz"))
			.endsWith("-1");
	}

	@Test
	void rejectsInvalidTraceparent() {
		assertThat(SentryRequestTraceStarter.fromTraceparent(null)).isNull();
		assertThat(SentryRequestTraceStarter.fromTraceparent("garbage")).isNull();
		assertThat(SentryRequestTraceStarter.fromTraceparent("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
			.isNull();
		assertThat(SentryRequestTraceStarter.fromTraceparent("00-00000000000000000000000000000000-b7ad6b7169203331-01"))
			.isNull();
		assertThat(SentryRequestTraceStarter.fromTraceparent("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01"))
			.isNull();
		assertThat(SentryRequestTraceStarter.fromTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333-01"))
			.isNull();
	}

}
