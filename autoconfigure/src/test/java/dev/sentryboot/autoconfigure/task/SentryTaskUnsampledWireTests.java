package dev.sentryboot.autoconfigure.task;

import java.io.IOException;
import java.util.UUID;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryWireTests;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;

import static dev.sentryboot.autoconfigure.task.SentryTaskWireTests.awaitEvent;
import static dev.sentryboot.autoconfigure.task.SentryTaskWireTests.withMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Background work with a traces sample rate of 0: no transaction at all, failures still
 * reported.
 */
@SpringBootTest(classes = TaskTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sentry.traces-sample-rate=0.0")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class SentryTaskUnsampledWireTests extends SentryWireTests {

	@Autowired
	TaskTestApplication.ScheduledWork scheduledWork;

	@Autowired
	SentrySdk sdk;

	@Test
	void nothingIsTracedAtRateZeroWhileFailuresStillArrive() {
		int runs = this.scheduledWork.runs.get();
		await().atMost(SentryTaskWireTests.PATIENCE).until(() -> this.scheduledWork.runs.get() >= runs + 3);
		String id = UUID.randomUUID().toString();
		assertThat(http().status("/async/work?id=" + id)).isEqualTo(200);
		awaitEvent(withMessage("request done " + id));
		this.scheduledWork.armed.set(new IOException("scheduled failed " + id));
		assertThat(awaitEvent(withMessage("scheduled failed " + id)).path("contexts").path("trace").path("trace_id")
			.asString()).isNotBlank();
		this.sdk.flush();
		assertThat(sentry.transactions()).isEmpty();
	}

}
