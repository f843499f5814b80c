package dev.sentryboot.autoconfigure.local;

import java.util.List;
import java.util.Map;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;
import io.sentry.IScopes;
import io.sentry.SentryOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class SentryLocalStoreAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SentryAutoConfiguration.class, SentryLocalStoreAutoConfiguration.class))
		.withPropertyValues("sentry.local.enabled=true");

	@Test
	void withoutDsnEventsGoThroughThePipelineIntoTheStoreAndTheLog(CapturedOutput output) {
		this.runner
			.withPropertyValues("sentry.tags.service=orders", "sentry.ignore-errors=ignore me")
			.withBean(SentryOptions.BeforeSendCallback.class, () -> (event, hint) -> {
				event.setTag("callback", "ran");
				return event;
			})
			.run((context) -> {
				IScopes scopes = context.getBean(SentrySdk.class).getScopes();
				scopes.captureException(new IllegalStateException("kept locally"));
				scopes.captureException(new IllegalStateException("please ignore me"));
				List<Map<String, Object>> events = context.getBean(LocalEventStore.class).events();
				assertThat(events).hasSize(1);
				Map<String, Object> event = events.get(0);
				assertThat(event.get("tags")).isEqualTo(Map.of("service", "orders", "callback", "ran"));
				assertThat(event.get("exception").toString()).contains("kept locally");
				assertThat(output).containsOnlyOnce("Sentry event " + event.get("event_id")
						+ " [error] IllegalStateException: kept locally");
			});
	}

	@Test
	void withDsnKeepsACopyOfWhatWasSent() {
		try (SentryTestServer sentry = new SentryTestServer()) {
			this.runner.withPropertyValues("sentry.dsn=" + sentry.dsn()).run((context) -> {
				SentrySdk sdk = context.getBean(SentrySdk.class);
				sdk.getScopes().captureException(new IllegalStateException("sent and kept"));
				sdk.flush();
				assertThat(sentry.events()).hasSize(1);
				List<Map<String, Object>> stored = context.getBean(LocalEventStore.class).events();
				assertThat(stored).singleElement()
					.satisfies((event) -> assertThat(event.get("event_id"))
						.isEqualTo(sentry.events().get(0).path("event_id").asString()));
			});
		}
	}

	@Test
	void withDsnAndOnlyKeepsEventsInTheProcess() {
		try (SentryTestServer sentry = new SentryTestServer()) {
			this.runner.withPropertyValues("sentry.dsn=" + sentry.dsn(), "sentry.local.only=true").run((context) -> {
				SentrySdk sdk = context.getBean(SentrySdk.class);
				sdk.getScopes().captureException(new IllegalStateException("kept, not sent"));
				sdk.flush();
				assertThat(context.getBean(LocalEventStore.class).events()).singleElement()
					.satisfies((event) -> assertThat(event.get("exception").toString()).contains("kept, not sent"));
				assertThat(sdk.getOptions().getDsn()).isEqualTo(sentry.dsn());
				assertThat(sdk.getOptions().getCacheDirPath()).isNull();
			});
			// The context is closed: anything queued would have been delivered by now.
			assertThat(sentry.envelopes()).isEmpty();
		}
	}

	@Test
	void backsOffWhenUserDefinesStore() {
		LocalEventStore own = new LocalEventStore(3);
		this.runner.withBean(LocalEventStore.class, () -> own)
			.run((context) -> assertThat(context.getBean(LocalEventStore.class)).isSameAs(own));
	}

}
