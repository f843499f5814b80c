package dev.sentryboot.autoconfigure.scrub;

import java.util.List;
import java.util.Map;

import dev.sentryboot.autoconfigure.InvalidSentryPropertyException;
import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentryScrubber;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.local.LocalEventStore;
import dev.sentryboot.autoconfigure.local.SentryLocalStoreAutoConfiguration;
import io.sentry.Breadcrumb;
import io.sentry.IScopes;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import io.sentry.protocol.SentryTransaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class SentryScrubAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SentryAutoConfiguration.class, SentryLocalStoreAutoConfiguration.class,
				SentryScrubAutoConfiguration.class))
		.withPropertyValues("sentry.local.enabled=true");

	@Test
	void scrubsByDefaultAfterUserCallbacks() {
		this.runner.withBean(SentryOptions.BeforeSendCallback.class, () -> (event, hint) -> {
			event.setExtra("added_by_callback", "password=FromCallback1");
			return event;
		}).run((context) -> {
			assertThat(context).hasSingleBean(SentryDataScrubber.class);
			capture(context, "failed with token=Abc123Secret");
			String event = onlyEvent(context).toString();
			assertThat(event).doesNotContain("Abc123Secret", "FromCallback1").contains("[Filtered]");
		});
	}

	@Test
	void scrubsBreadcrumbsWhenTheyAreAdded() {
		this.runner.run((context) -> {
			IScopes scopes = context.getBean(SentrySdk.class).getScopes();
			scopes.addBreadcrumb(new Breadcrumb("login with password=Crumb99"));
			scopes.captureException(new IllegalStateException("boom"));
			assertThat(onlyEvent(context).get("breadcrumbs").toString()).doesNotContain("Crumb99")
				.contains("password=[Filtered]");
		});
	}

	@Test
	void appliesScrubProperties() {
		this.runner
			.withPropertyValues("sentry.scrub.keys=tenant_pin", "sentry.scrub.safe-keys=session_timeout",
					"sentry.scrub.replacement=***", "sentry.scrub.patterns=ACME-[0-9]{4}")
			.run((context) -> {
				capture(context, "tenant_pin=4242 session_timeout=30m customer ACME-1234");
				assertThat(exceptionValue(context)).isEqualTo("tenant_pin=*** session_timeout=30m customer ***");
			});
	}

	@Test
	void customizerExtendsTheBuiltInScrubber() {
		this.runner
			.withBean(SentryDataScrubberCustomizer.class, () -> (builder) -> builder.keys(List.of("voucher")))
			.run((context) -> {
				capture(context, "voucher=XMAS-2026 password=p");
				assertThat(exceptionValue(context)).isEqualTo("voucher=[Filtered] password=[Filtered]");
			});
	}

	@Test
	void userScrubberReplacesTheBuiltInOne() {
		this.runner.withBean(SentryScrubber.class, UpperCaseScrubber::new).run((context) -> {
			assertThat(context).doesNotHaveBean(SentryDataScrubber.class);
			capture(context, "password=kept by my scrubber");
			assertThat(exceptionValue(context)).isEqualTo("PASSWORD=KEPT BY MY SCRUBBER");
		});
	}

	@Test
	void canBeTurnedOffWithAWarning(CapturedOutput output) {
		this.runner.withPropertyValues("sentry.scrub.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(SentryScrubber.class);
			capture(context, "password=visible");
			assertThat(exceptionValue(context)).isEqualTo("password=visible");
			assertThat(output).contains("WARN").contains("Sentry data scrubbing is off (sentry.scrub.enabled=false, or no SentryScrubber bean)");
		});
	}

	@Test
	void failsOnPatternThatDoesNotCompile() {
		this.runner.withPropertyValues("sentry.scrub.patterns=ACME-[0-9").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(java.util.regex.PatternSyntaxException.class);
			Throwable cause = context.getStartupFailure();
			while (cause != null && !(cause instanceof InvalidSentryPropertyException)) {
				cause = cause.getCause();
			}
			assertThat(cause).isInstanceOf(InvalidSentryPropertyException.class)
				.hasMessageContaining("'sentry.scrub.patterns'");
		});
	}

	private static void capture(AssertableApplicationContext context, String message) {
		context.getBean(SentrySdk.class).getScopes().captureException(new IllegalStateException(message));
	}

	private static Map<String, Object> onlyEvent(AssertableApplicationContext context) {
		List<Map<String, Object>> events = context.getBean(LocalEventStore.class).events();
		assertThat(events).hasSize(1);
		return events.get(0);
	}

	@SuppressWarnings("unchecked")
	private static String exceptionValue(AssertableApplicationContext context) {
		Map<String, Object> exception = (Map<String, Object>) onlyEvent(context).get("exception");
		List<Map<String, Object>> values = (List<Map<String, Object>>) exception.get("values");
		return (String) values.get(values.size() - 1).get("value");
	}

	static final class UpperCaseScrubber implements SentryScrubber {

		@Override
		public SentryEvent scrub(SentryEvent event) {
			event.getExceptions().forEach((exception) -> exception.setValue(exception.getValue().toUpperCase()));
			return event;
		}

		@Override
		public SentryTransaction scrub(SentryTransaction transaction) {
			return transaction;
		}

		@Override
		public Breadcrumb scrub(Breadcrumb breadcrumb) {
			return breadcrumb;
		}

	}

}
