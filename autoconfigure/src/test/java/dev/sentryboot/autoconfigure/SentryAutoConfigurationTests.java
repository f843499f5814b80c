package dev.sentryboot.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.sentryboot.autoconfigure.local.LocalEventStore;
import dev.sentryboot.autoconfigure.local.SentryLocalStoreAutoConfiguration;
import io.sentry.Breadcrumb;
import io.sentry.EventProcessor;
import io.sentry.Hint;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import io.sentry.SentryOptions.BeforeSendCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class SentryAutoConfigurationTests {

	private static final String DSN = "http://key@127.0.0.1:9/1";

	private static final EventProcessor PROCESSOR = new EventProcessor() {
	};

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SentryAutoConfiguration.class, SentryLocalStoreAutoConfiguration.class));

	@Test
	void staysOffWithoutDsnAndSaysHowToTurnItOn(CapturedOutput output) {
		this.runner.run((context) -> {
			SentrySdk sdk = context.getBean(SentrySdk.class);
			assertThat(sdk.isActive()).isFalse();
			assertThat(sdk.getScopes().isEnabled()).isFalse();
			assertThat(output).contains("Sentry is off: no DSN is configured. Set sentry.dsn");
		});
	}

	@Test
	void staysOffWhenDisabledEvenWithDsn(CapturedOutput output) {
		this.runner.withPropertyValues("sentry.enabled=false", "sentry.dsn=" + DSN).run((context) -> {
			assertThat(context.getBean(SentrySdk.class).isActive()).isFalse();
			assertThat(output).contains("Sentry is disabled (sentry.enabled=false)");
		});
	}

	@Test
	void startsWithDsnAndAppliesDefaults() {
		this.runner.withPropertyValues("sentry.dsn=" + DSN).run((context) -> {
			SentryOptions options = context.getBean(SentrySdk.class).getOptions();
			assertThat(options).isNotNull();
			assertThat(options.getDsn()).isEqualTo(DSN);
			assertThat(options.getEnvironment()).isEqualTo("production");
			assertThat(options.getRelease()).isNull();
			assertThat(options.getSampleRate()).isEqualTo(1.0);
			assertThat(options.getTracesSampleRate()).isEqualTo(0.1);
			assertThat(options.isAttachStacktrace()).isTrue();
			assertThat(options.isSendDefaultPii()).isFalse();
			assertThat(options.getMaxBreadcrumbs()).isEqualTo(100);
			assertThat(options.isEnableShutdownHook()).isFalse();
			assertThat(options.getCacheDirPath()).contains("sentry-boot");
		});
	}

	@Test
	void bindsEveryProperty() {
		this.runner
			.withPropertyValues("sentry.dsn=" + DSN, "sentry.environment=qa", "sentry.release=r1", "sentry.dist=d1",
					"sentry.server-name=node-1", "sentry.sample-rate=0.5", "sentry.traces-sample-rate=0.25",
					"sentry.attach-stacktrace=false", "sentry.send-default-pii=true", "sentry.max-breadcrumbs=7",
					"sentry.tags.team=payments", "sentry.in-app-includes=com.acme", "sentry.max-cache-items=3",
					"sentry.max-queue-size=9", "sentry.shutdown-timeout=3s", "sentry.flush-timeout=4s",
					"sentry.capture-unhandled-errors=false")
			.run((context) -> {
				SentryOptions options = context.getBean(SentrySdk.class).getOptions();
				assertThat(options.getEnvironment()).isEqualTo("qa");
				assertThat(options.getRelease()).isEqualTo("r1");
				assertThat(options.getDist()).isEqualTo("d1");
				assertThat(options.getServerName()).isEqualTo("node-1");
				assertThat(options.getSampleRate()).isEqualTo(0.5);
				assertThat(options.getTracesSampleRate()).isEqualTo(0.25);
				assertThat(options.isAttachStacktrace()).isFalse();
				assertThat(options.isSendDefaultPii()).isTrue();
				assertThat(options.getMaxBreadcrumbs()).isEqualTo(7);
				assertThat(options.getTags()).containsEntry("team", "payments");
				assertThat(options.getInAppIncludes()).containsExactly("com.acme");
				assertThat(options.getMaxCacheItems()).isEqualTo(3);
				assertThat(options.getMaxQueueSize()).isEqualTo(9);
				assertThat(options.getShutdownTimeoutMillis()).isEqualTo(3000);
				assertThat(options.getFlushTimeoutMillis()).isEqualTo(4000);
				assertThat(options.isEnableUncaughtExceptionHandler()).isFalse();
			});
	}

	@Test
	void tracingOffLeavesNoSampleRate() {
		this.runner.withPropertyValues("sentry.dsn=" + DSN, "sentry.enable-tracing=false")
			.run((context) -> assertThat(context.getBean(SentrySdk.class).getOptions().getTracesSampleRate()).isNull());
	}

	@Test
	void bindsEnvironmentVariables() {
		Map<String, Object> variables = Map.of("SENTRY_DSN", DSN, "SENTRY_ENVIRONMENT", "from-env", "SENTRY_RELEASE",
				"env-release", "SENTRY_TRACES_SAMPLE_RATE", "0.75", "SENTRY_ENABLE_TRACING", "true",
				"SENTRY_SENDDEFAULTPII", "true", "SENTRY_IGNOREERRORS_0_", "Broken pipe");
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables)))
			.run((context) -> {
				SentryOptions options = context.getBean(SentrySdk.class).getOptions();
				assertThat(options.getDsn()).isEqualTo(DSN);
				assertThat(options.getEnvironment()).isEqualTo("from-env");
				assertThat(options.getRelease()).isEqualTo("env-release");
				assertThat(options.getTracesSampleRate()).isEqualTo(0.75);
				assertThat(options.isSendDefaultPii()).isTrue();
				assertThat(context.getBean(SentryProperties.class).getIgnoreErrors()).containsExactly("Broken pipe");
			});
	}

	@Test
	void bindsCamelCaseKeys() {
		this.runner
			.withPropertyValues("sentry.dsn=" + DSN, "sentry.serverName=camel-host", "sentry.tracesSampleRate=0.3",
					"sentry.sendDefaultPii=true", "sentry.ignoreErrors[0]=timeout")
			.run((context) -> {
				SentryOptions options = context.getBean(SentrySdk.class).getOptions();
				assertThat(options.getServerName()).isEqualTo("camel-host");
				assertThat(options.getTracesSampleRate()).isEqualTo(0.3);
				assertThat(options.isSendDefaultPii()).isTrue();
				assertThat(context.getBean(SentryProperties.class).getIgnoreErrors()).containsExactly("timeout");
			});
	}

	@Test
	void environmentDefaultsToFirstActiveProfile() {
		this.runner.withPropertyValues("sentry.dsn=" + DSN)
			.withInitializer((context) -> context.getEnvironment().setActiveProfiles("staging", "eu"))
			.run((context) -> assertThat(context.getBean(SentrySdk.class).getOptions().getEnvironment())
				.isEqualTo("staging"));
	}

	@Test
	void environmentFallsBackToDefaultProfileWhenNoneIsActive() {
		this.runner.withPropertyValues("sentry.dsn=" + DSN)
			.withInitializer((context) -> context.getEnvironment().setDefaultProfiles("dev"))
			.run((context) -> assertThat(context.getBean(SentrySdk.class).getOptions().getEnvironment())
				.isEqualTo("dev"));
	}

	@Test
	void releaseDefaultsToBuildInfo() {
		Properties build = new Properties();
		build.setProperty("artifact", "orders");
		build.setProperty("version", "1.4.2");
		this.runner.withPropertyValues("sentry.dsn=" + DSN)
			.withBean(BuildProperties.class, () -> new BuildProperties(build))
			.withBean(GitProperties.class, () -> new GitProperties(git("abc123")))
			.run((context) -> assertThat(context.getBean(SentrySdk.class).getOptions().getRelease())
				.isEqualTo("orders@1.4.2"));
	}

	@Test
	void releaseFallsBackToGitCommit() {
		this.runner.withPropertyValues("sentry.dsn=" + DSN)
			.withBean(GitProperties.class, () -> new GitProperties(git("abc123")))
			.run((context) -> assertThat(context.getBean(SentrySdk.class).getOptions().getRelease())
				.isEqualTo("abc123"));
	}

	@Test
	void backsOffWhenUserDefinesSdk() {
		this.runner.withPropertyValues("sentry.dsn=" + DSN)
			.withBean("mySdk", SentrySdk.class, SentryAutoConfigurationTests::disabledSdk)
			.run((context) -> assertThat(context).hasSingleBean(SentrySdk.class).hasBean("mySdk"));
	}

	@Test
	void appliesCustomizersAndCallbacksInOrder() {
		this.runner.withPropertyValues("sentry.dsn=" + DSN)
			.withBean("second", BeforeSendCallback.class, () -> new Tagging("second"))
			.withBean(OrderedFirst.class, OrderedFirst::new)
			.withBean(EventProcessor.class, () -> PROCESSOR)
			.withBean(SentryOptionsCustomizer.class, () -> (options) -> options.setDist("customized"))
			.withBean(SentryOptions.BeforeBreadcrumbCallback.class,
					() -> (breadcrumb, hint) -> "drop".equals(breadcrumb.getMessage()) ? null : breadcrumb)
			.run((context) -> {
				SentryOptions options = context.getBean(SentrySdk.class).getOptions();
				assertThat(options.getDist()).isEqualTo("customized");
				SentryEvent event = options.getBeforeSend().execute(new SentryEvent(), new Hint());
				assertThat(event.getTag("order")).isEqualTo("first,second");
				assertThat(options.getEventProcessors()).contains(PROCESSOR);
				assertThat(options.getBeforeBreadcrumb().execute(new Breadcrumb("drop"), new Hint())).isNull();
				assertThat(options.getBeforeBreadcrumb().execute(new Breadcrumb("keep"), new Hint())).isNotNull();
			});
	}

	@Test
	void customizerCallbackJoinsTheChain() {
		this.runner.withPropertyValues("sentry.dsn=" + DSN, "sentry.ignore-errors=drop me")
			.withBean(SentryOptionsCustomizer.class, () -> (options) -> options.setBeforeSend(new Tagging("custom")))
			.run((context) -> {
				SentryOptions options = context.getBean(SentrySdk.class).getOptions();
				BeforeSendCallback chain = options.getBeforeSend();
				assertThat(processed(options, new SentryEvent(new IllegalStateException("please drop me")))).isNull();
				assertThat(chain.execute(new SentryEvent(new IllegalStateException("keep")), new Hint()).getTag("order"))
					.isEqualTo("custom");
			});
	}

	@Test
	void localStoreWithoutDsnStartsTheSdk() {
		this.runner.withPropertyValues("sentry.local.enabled=true", "sentry.local.capacity=5").run((context) -> {
			assertThat(context.getBean(SentrySdk.class).isActive()).isTrue();
			assertThat(context.getBean(LocalEventStore.class).capacity()).isEqualTo(5);
			assertThat(context.getBean(SentrySdk.class).getOptions().getCacheDirPath()).isNull();
		});
	}

	@Test
	void noLocalStoreByDefault() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(LocalEventStore.class));
	}

	@Test
	void failsOnMalformedDsn() {
		assertFailure("sentry.dsn=not-a-dsn", "sentry.dsn", "not-a-dsn", "Client Keys");
	}

	@Test
	void failsOnDsnWithoutProject() {
		assertFailure("sentry.dsn=https://key@sentry.example.com", "sentry.dsn", "https://key@sentry.example.com",
				"<project-id>");
	}

	@Test
	void failsOnSampleRateAboveOne() {
		assertFailure("sentry.sample-rate=1.5", "sentry.sample-rate", "1.5", "0.0 (nothing) to 1.0");
	}

	@Test
	void failsOnNegativeTracesSampleRate() {
		assertFailure("sentry.traces-sample-rate=-0.1", "sentry.traces-sample-rate", "-0.1", "0.0 (nothing) to 1.0");
	}

	@Test
	void failsOnPatternThatDoesNotCompile() {
		assertFailure("sentry.ignore-errors=timeout(", "sentry.ignore-errors", "timeout(", "regular expression");
	}

	@Test
	void failsOnNegativeDuration() {
		assertFailure("sentry.shutdown-timeout=-1s", "sentry.shutdown-timeout", "PT-1S", "positive duration");
	}

	@Test
	void failsOnZeroCacheRetryInterval() {
		assertFailure("sentry.cache-retry-interval=0s", "sentry.cache-retry-interval", "PT0S", "positive duration");
	}

	@Test
	void warnsOnceForIgnoredExceptionNotOnClasspath(CapturedOutput output) {
		this.runner
			.withPropertyValues("sentry.dsn=" + DSN,
					"sentry.ignored-exceptions=com.example.Gone,java.lang.IllegalArgumentException")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).containsOnlyOnce("class 'com.example.Gone' is not on the classpath");
				SentryOptions options = context.getBean(SentrySdk.class).getOptions();
				assertThat(processed(options, new SentryEvent(new NumberFormatException("x")))).isNull();
			});
	}

	// Ignore rules are an event processor; the SDK runs processors before the before-send chain.
	private static SentryEvent processed(SentryOptions options, SentryEvent event) {
		SentryEvent current = event;
		for (EventProcessor processor : options.getEventProcessors()) {
			if (current != null && processor instanceof IgnoreRules) {
				current = processor.process(current, new Hint());
			}
		}
		return (current != null) ? options.getBeforeSend().execute(current, new Hint()) : null;
	}

	private void assertFailure(String property, String name, String value, String fix) {
		String dsn = property.startsWith("sentry.dsn") ? "" : "sentry.dsn=" + DSN;
		this.runner.withPropertyValues(property, dsn).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			FailureAnalysis analysis = new InvalidSentryPropertyFailureAnalyzer().analyze(failure);
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("'" + name + "'").contains("'" + value + "'");
			assertThat(analysis.getAction()).contains(name).contains(fix);
		});
	}

	private static Properties git(String commit) {
		Properties git = new Properties();
		git.setProperty("commit.id", commit);
		return git;
	}

	static class Tagging implements BeforeSendCallback {

		private final String name;

		Tagging(String name) {
			this.name = name;
		}

		@Override
		public SentryEvent execute(SentryEvent event, Hint hint) {
			String before = event.getTag("order");
			event.setTag("order", (before != null) ? before + "," + this.name : this.name);
			return event;
		}

	}

	@Order(1)
	static class OrderedFirst extends Tagging {

		OrderedFirst() {
			super("first");
		}

	}

	private static SentrySdk disabledSdk() {
		SentryProperties properties = new SentryProperties();
		properties.setEnabled(false);
		return new SentrySdk(properties,
				new SentryOptionsAdapter(properties, new StandardEnvironment(), null, null, List.of(), null),
				new SentrySdk.Callbacks(List.of(), List.of(), List.of(), List.of(), List.of(), null));
	}

}
