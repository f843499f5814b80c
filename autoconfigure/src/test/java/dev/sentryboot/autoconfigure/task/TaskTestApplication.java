package dev.sentryboot.autoconfigure.task;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.sentryboot.autoconfigure.SentryOptionsCustomizer;
import io.sentry.Sentry;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.annotation.Async;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application with background work: @Async methods called by requests, a @Scheduled method
 * that fails when told to, and a task decorator of its own.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableAsync
@EnableScheduling
@Import({ TaskTestApplication.AsyncWork.class, TaskTestApplication.ScheduledWork.class,
		TaskTestApplication.TaskController.class })
class TaskTestApplication {

	/** Set by the application's own decorator while a task runs. */
	static final ThreadLocal<String> USER_DECORATOR = new ThreadLocal<>();

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
	}

	@Bean
	SentryOptionsCustomizer tracesSampler() {
		return (options) -> options.setTracesSampler((context) -> "AsyncWork.captureTagged"
			.equals(context.getTransactionContext().getName()) ? 0.0 : null);
	}

	@Bean
	TaskDecorator userTaskDecorator() {
		return (runnable) -> () -> {
			USER_DECORATOR.set("ran");
			try {
				runnable.run();
			}
			finally {
				USER_DECORATOR.remove();
			}
		};
	}

	static class AsyncWork {

		private final Map<String, RuntimeException> thrown = new ConcurrentHashMap<>();

		/** The exception the void method threw for this id (the bean is a proxy: no fields). */
		public RuntimeException thrown(String id) {
			return this.thrown.get(id);
		}

		@Async
		public void failVoid(String id) {
			RuntimeException failure = new IllegalStateException("async failed " + id);
			this.thrown.put(id, failure);
			throw failure;
		}

		@Async
		public CompletableFuture<String> failFuture(String id) {
			throw new IllegalStateException("future failed " + id);
		}

		@Async
		public CompletableFuture<String> captureTagged(String id) {
			Sentry.setTag("task-tag", "set-in-task");
			Sentry.setTag("user-decorator", String.valueOf(USER_DECORATOR.get()));
			Sentry.captureMessage("from async " + id);
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@Async
		public CompletableFuture<String> work(String id) {
			return CompletableFuture.completedFuture(id);
		}

	}

	static class ScheduledWork {

		final AtomicReference<Exception> armed = new AtomicReference<>();

		final AtomicInteger runs = new AtomicInteger();

		@Scheduled(fixedDelay = 200)
		void tick() throws Exception {
			this.runs.incrementAndGet();
			Sentry.setTag("run", String.valueOf(this.runs.get()));
			Exception failure = this.armed.getAndSet(null);
			if (failure != null) {
				throw failure;
			}
		}

	}

	@RestController
	static class TaskController {

		private final AsyncWork work;

		TaskController(AsyncWork work) {
			this.work = work;
		}

		@GetMapping("/async/fail")
		String fail(@RequestParam String id) {
			this.work.failVoid(id);
			return "submitted";
		}

		@GetMapping("/async/future-fail")
		String futureFail(@RequestParam String id) {
			try {
				return this.work.failFuture(id).join();
			}
			catch (CompletionException ex) {
				// The caller handles it: nothing to report.
				Sentry.captureMessage("handled " + id);
				return "handled";
			}
		}

		@GetMapping("/async/tagged")
		String tagged(@RequestParam String id) {
			Sentry.setTag("request-tag", id);
			String thread = this.work.captureTagged(id).join();
			throw new IllegalStateException("request failed " + id + " after task on " + thread);
		}

		@GetMapping("/async/work")
		String work(@RequestParam String id) {
			Sentry.setTag("request-tag", id);
			this.work.work(id).join();
			Sentry.captureMessage("request done " + id);
			return "done";
		}

	}

}
