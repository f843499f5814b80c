package dev.sentryboot.autoconfigure.tracing.micrometer;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("micrometer-tracing")
class MicrometerTraceIdsTests {

	@Test
	void keepsOpenTelemetryIds() {
		MicrometerTraceIds ids = BridgeTraceContext
			.ids("771a43a4192642f0b136d5159a501700", "b0e6f15b45c36b12", "00f067aa0ba902b7");
		assertThat(ids).isEqualTo(new MicrometerTraceIds("771a43a4192642f0b136d5159a501700", "b0e6f15b45c36b12",
				"00f067aa0ba902b7"));
	}

	@Test
	void padsBraves64BitTraceIdsTo128Bits() {
		MicrometerTraceIds ids = BridgeTraceContext.ids("b136d5159a501700", "b0e6f15b45c36b12", null);
		assertThat(ids.traceId()).isEqualTo("0000000000000000b136d5159a501700");
		assertThat(ids.parentSpanId()).isNull();
	}

	@Test
	void upperCaseIdsAreLowerCased() {
		assertThat(BridgeTraceContext.ids("771A43A4192642F0B136D5159A501700", "B0E6F15B45C36B12", ""))
			.isEqualTo(new MicrometerTraceIds("771a43a4192642f0b136d5159a501700", "b0e6f15b45c36b12", null));
	}

	@Test
	void invalidOrNoopIdsAreNotUsed() {
		assertThat(BridgeTraceContext.ids("", "", null)).isNull();
		assertThat(BridgeTraceContext.ids("0".repeat(32), "b0e6f15b45c36b12", null)).isNull();
		assertThat(BridgeTraceContext.ids("771a43a4192642f0b136d5159a50170", "b0e6f15b45c36b12", null))
			.isNull();
		assertThat(BridgeTraceContext.ids("771a43a4192642f0b136d5159a50170z", "b0e6f15b45c36b12", null))
			.isNull();
		assertThat(BridgeTraceContext.ids("771a43a4192642f0b136d5159a501700", "0".repeat(16), null)).isNull();
	}

}
