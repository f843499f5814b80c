package dev.sentryboot.autoconfigure.task;

import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentrySdk;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

class SentryTaskAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(SentryAutoConfiguration.class, SentryTaskAutoConfiguration.class,
					TaskExecutionAutoConfiguration.class))
		.withPropertyValues("sentry.dsn=http://key@127.0.0.1:9/1");

	@Test
	void registersTheDecoratorAndTheAsyncAndScheduledHooks() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(SentryTaskDecorator.class)
				.hasSingleBean(SentryAsyncMethodPostProcessor.class)
				.hasSingleBean(SentryScheduledTaskConfigurer.class);
		});
	}

	@Test
	void staysOutWhenTasksAreDisabled() {
		this.runner.withPropertyValues("sentry.tasks.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(SentryTaskDecorator.class)
				.doesNotHaveBean(SentryAsyncMethodPostProcessor.class)
				.doesNotHaveBean(SentryScheduledTaskConfigurer.class);
		});
	}

	@Test
	void backsOffWhenTheApplicationDefinesItsOwnDecorator() {
		this.runner.withBean("mine", SentryTaskDecorator.class, () -> new SentryTaskDecorator(null))
			.run((context) -> assertThat(context).getBean(SentryTaskDecorator.class)
				.isSameAs(context.getBean("mine")));
	}

	@Test
	void bootsExecutorRunsTheApplicationsDecoratorAndOurs() {
		StringBuilder calls = new StringBuilder();
		AtomicReference<SentrySdk> sdkRef = new AtomicReference<>();
		// Ours is the outermost decorator: the application's runs inside the task's scopes.
		TaskDecorator mine = (runnable) -> () -> {
			SentrySdk sdk = sdkRef.get();
			calls.append("mine sees ")
				.append(sdk.getCurrentScopes() != sdk.getScopes() ? "forked scopes" : "root scopes")
				.append(";");
			runnable.run();
		};
		this.runner.withBean("mine", TaskDecorator.class, () -> mine).run((context) -> {
			ThreadPoolTaskExecutor executor = context.getBean(ThreadPoolTaskExecutor.class);
			SentrySdk sdk = context.getBean(SentrySdk.class);
			sdkRef.set(sdk);
			executor.submit(() -> calls.append("task sees ")
				.append(sdk.getCurrentScopes() != sdk.getScopes() ? "forked scopes" : "root scopes")).get(10, TimeUnit.SECONDS);
			assertThat(calls).hasToString("mine sees forked scopes;task sees forked scopes");
		});
	}

	@Test
	void leavesScheduledRunsAndAnSdkThatIsOffAlone() {
		new ApplicationContextRunner().withConfiguration(
				AutoConfigurations.of(SentryAutoConfiguration.class, SentryTaskAutoConfiguration.class))
			.run((context) -> {
				Runnable task = () -> {
				};
				assertThat(context.getBean(SentryTaskDecorator.class).decorate(task)).isSameAs(task);
			});
		this.runner.run((context) -> {
			ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
			try {
				RunnableScheduledFuture<?> run = (RunnableScheduledFuture<?>) scheduler.schedule(() -> {
				}, 1, TimeUnit.HOURS);
				assertThat(context.getBean(SentryTaskDecorator.class).decorate(run)).isSameAs(run);
			}
			finally {
				scheduler.shutdownNow();
			}
		});
	}

}
