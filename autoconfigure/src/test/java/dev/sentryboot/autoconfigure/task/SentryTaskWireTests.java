package dev.sentryboot.autoconfigure.task;

import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryWireTests;
import io.sentry.IScopes;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What reaches Sentry from @Async and @Scheduled methods, all traces sampled. The context is
 * closed after the class: its scheduled method keeps sending transactions.
 */
@SpringBootTest(classes = TaskTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sentry.traces-sample-rate=1.0", "sentry.max-queue-size=1000" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class SentryTaskWireTests extends SentryWireTests {

	/** Generous: a machine under load may take long over the first request; passing tests never wait it out. */
	static final Duration PATIENCE = Duration.ofSeconds(30);

	@Autowired
	TaskTestApplication.AsyncWork asyncWork;

	@Autowired
	TaskTestApplication.ScheduledWork scheduledWork;

	@Autowired
	SentrySdk sdk;

	@Autowired
	IScopes scopes;

	@Test
	void asyncVoidFailureArrivesOnceAsUnhandledAndSpringStillLogsIt(CapturedOutput output) {
		String id = UUID.randomUUID().toString();
		assertThat(http().status("/async/fail?id=" + id)).isEqualTo(200);
		JsonNode event = awaitEvent(withMessage("async failed " + id));
		JsonNode exception = mainException(event);
		assertThat(exception.path("type").asString()).isEqualTo("IllegalStateException");
		assertThat(exception.path("mechanism").path("type").asString()).isEqualTo("spring.async");
		assertThat(exception.path("mechanism").path("handled").asBoolean()).isFalse();
		assertThat(event.path("level").asString()).isEqualTo("error");
		assertThat(event.path("transaction").asString()).isEqualTo("AsyncWork.failVoid");
		// The request may be over when a fire-and-forget task fails: its data is then gone, and
		// never replaced by another request's.
		assertThat(event.path("request").path("url").asString("/async/fail")).endsWith("/async/fail");
		await().atMost(PATIENCE).untilAsserted(() -> assertThat(output)
			.contains("Unexpected exception occurred invoking async method").contains("async failed " + id));

		// A logging integration capturing what Spring logged is the same exception: dropped.
		this.scopes.captureException(this.asyncWork.thrown(id));
		assertOnlyOne(withMessage("async failed " + id));
	}

	@Test
	void asyncFutureFailureIsLeftToTheCaller() {
		String id = UUID.randomUUID().toString();
		assertThat(http().status("/async/future-fail?id=" + id)).isEqualTo(200);
		awaitEvent(withMessage("handled " + id));
		this.sdk.flush();
		assertThat(sentry.events()).noneMatch(withMessage("future failed " + id));
	}

	@Test
	void scheduledFailureArrivesOnceAsUnhandledAndSpringStillLogsIt(CapturedOutput output) {
		String id = UUID.randomUUID().toString();
		IOException failure = new IOException("scheduled failed " + id);
		this.scheduledWork.armed.set(failure);
		JsonNode event = awaitEvent(withMessage("scheduled failed " + id));
		JsonNode exception = mainException(event);
		// The method's own (checked) exception, not the wrapper Spring throws for it.
		assertThat(exception.path("type").asString()).isEqualTo("IOException");
		assertThat(exception.path("mechanism").path("type").asString()).isEqualTo("spring.scheduled");
		assertThat(exception.path("mechanism").path("handled").asBoolean()).isFalse();
		assertThat(event.path("transaction").asString()).isEqualTo("ScheduledWork.tick");
		await().atMost(PATIENCE).untilAsserted(
				() -> assertThat(output).contains("Unexpected error occurred in scheduled task").contains(id));

		// Spring logs the wrapper; capturing that (or the exception itself) again is a duplicate.
		this.scopes.captureException(new UndeclaredThrowableException(failure));
		this.scopes.captureException(failure);
		assertOnlyOne(withMessage("scheduled failed " + id));
	}

	@Test
	void scheduledRunsArriveAsTransactionsEachInATraceOfItsOwn() {
		List<JsonNode> runs = awaitTransactions((tx) -> "ScheduledWork.tick".equals(tx.path("transaction").asString()),
				2);
		JsonNode first = runs.get(0);
		JsonNode trace = first.path("contexts").path("trace");
		assertThat(trace.path("op").asString()).isEqualTo("task.scheduled");
		assertThat(trace.path("status").asString()).isEqualTo("ok");
		assertThat(first.path("transaction_info").path("source").asString()).isEqualTo("task");
		assertThat(runs.get(1).path("contexts").path("trace").path("trace_id").asString())
			.isNotEqualTo(trace.path("trace_id").asString());
		// What one run set on its scopes does not reach the next.
		assertThat(first.path("tags").path("run").asString()).isNotEqualTo(runs.get(1).path("tags").path("run").asString());
	}

	@Test
	void asyncCallArrivesAsTransactionInTheCallersTrace() {
		String id = UUID.randomUUID().toString();
		assertThat(http().status("/async/work?id=" + id)).isEqualTo(200);
		JsonNode requestEvent = awaitEvent(withMessage("request done " + id));
		JsonNode transaction = awaitTransactions(
				(tx) -> "AsyncWork.work".equals(tx.path("transaction").asString())
						&& id.equals(tx.path("tags").path("request-tag").asString()),
				1)
			.get(0);
		JsonNode trace = transaction.path("contexts").path("trace");
		assertThat(trace.path("op").asString()).isEqualTo("task.async");
		assertThat(trace.path("status").asString()).isEqualTo("ok");
		assertThat(trace.path("trace_id").asString())
			.isEqualTo(requestEvent.path("contexts").path("trace").path("trace_id").asString());
	}

	@Test
	void requestScopesReachTheAsyncTaskButTheTaskChangesNothingInTheRequest() {
		String id = UUID.randomUUID().toString();
		assertThat(http().status("/async/tagged?id=" + id)).isEqualTo(500);
		JsonNode fromTask = awaitEvent(withMessage("from async " + id));
		assertThat(fromTask.path("tags").path("request-tag").asString()).isEqualTo(id);
		assertThat(fromTask.path("tags").path("task-tag").asString()).isEqualTo("set-in-task");
		assertThat(fromTask.path("request").path("url").asString()).endsWith("/async/tagged");
		// The application's own TaskDecorator ran around the task as well.
		assertThat(fromTask.path("tags").path("user-decorator").asString()).isEqualTo("ran");

		JsonNode fromRequest = awaitEvent(withMessage("request failed " + id));
		assertThat(fromRequest.path("tags").path("request-tag").asString()).isEqualTo(id);
		assertThat(fromRequest.path("tags").has("task-tag")).isFalse();
		assertThat(fromRequest.path("tags").has("user-decorator")).isFalse();
	}

	@Test
	void theApplicationsTracesSamplerDecidesForTasks() {
		// The application's TracesSamplerCallback returns 0 for this method, despite the rate of 1.
		String id = UUID.randomUUID().toString();
		assertThat(http().status("/async/tagged?id=" + id)).isEqualTo(500);
		awaitEvent(withMessage("from async " + id));
		String marker = "marker-" + UUID.randomUUID();
		assertThat(http().status("/async/work?id=" + marker)).isEqualTo(200);
		awaitTransactions((tx) -> marker.equals(tx.path("tags").path("request-tag").asString()), 1);
		assertThat(sentry.transactions())
			.noneMatch((tx) -> "AsyncWork.captureTagged".equals(tx.path("transaction").asString()));
	}

	private void assertOnlyOne(Predicate<JsonNode> selected) {
		String marker = "marker " + UUID.randomUUID();
		this.sdk.getScopes().captureMessage(marker);
		awaitEvent(withMessage(marker));
		assertThat(sentry.events().stream().filter(selected)).hasSize(1);
	}

	static JsonNode awaitEvent(Predicate<JsonNode> selected) {
		return await().atMost(PATIENCE)
			.until(() -> sentry.events().stream().filter(selected).findFirst(), Optional::isPresent)
			.get();
	}

	static List<JsonNode> awaitTransactions(Predicate<JsonNode> selected, int count) {
		try {
			return await().atMost(PATIENCE)
				.until(() -> sentry.transactions().stream().filter(selected).toList(), (list) -> list.size() >= count);
		}
		catch (ConditionTimeoutException ex) {
			// Say what did arrive: a rare failure in CI is only worth something with it.
			throw new AssertionError("Fewer than " + count + " matching transactions within " + PATIENCE
					+ "; arrived: " + sentry.transactions().stream().map(SentryTaskWireTests::summary).toList()
					+ "; events: " + sentry.events().stream().map(SentryTaskWireTests::summary).toList()
					+ "; undecodable: " + sentry.decodeErrors(), ex);
		}
	}

	private static String summary(JsonNode item) {
		JsonNode trace = item.path("contexts").path("trace");
		return item.path("transaction").asString("-") + " " + item.path("message").path("formatted").asString("")
				+ " tags=" + item.path("tags") + " trace=" + trace.path("trace_id").asString("") + "/"
				+ trace.path("parent_span_id").asString("");
	}

	static Predicate<JsonNode> withMessage(String text) {
		return (event) -> event.toString().contains(text);
	}

	static JsonNode mainException(JsonNode event) {
		JsonNode values = event.path("exception").path("values");
		return values.get(values.size() - 1);
	}

}
