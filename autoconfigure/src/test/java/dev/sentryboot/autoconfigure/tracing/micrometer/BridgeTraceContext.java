package dev.sentryboot.autoconfigure.tracing.micrometer;

import io.micrometer.tracing.TraceContext;
import org.jspecify.annotations.Nullable;

/** A trace context as a bridge gives it. */
record BridgeTraceContext(String traceId, String spanId, @Nullable String parentId) implements TraceContext {

	/**
	 * The ids taken from such a context (here, so that the test class itself never names a
	 * tracing type: the runs without Micrometer Tracing load it to read its tag).
	 */
	static @Nullable MicrometerTraceIds ids(String traceId, String spanId, @Nullable String parentId) {
		return MicrometerTraceIds.of(new BridgeTraceContext(traceId, spanId, parentId));
	}

	@Override
	public @Nullable Boolean sampled() {
		return true;
	}

}
