package dev.sentryboot.autoconfigure.resilience;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentryOptionsCustomizer;
import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.CountingClientReports;
import dev.sentryboot.autoconfigure.testsupport.SentryTestServer;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A small web application for the tests of what happens while Sentry is away: one endpoint that
 * fails, HTTP timeouts given by the test, and the SDK's lost-envelope counts kept for assertions.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ ResilienceTestApplication.SentryUnderTest.class, ResilienceTestApplication.FailingController.class })
class ResilienceTestApplication {

	@Bean
	SecurityFilterChain permitAll(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
	}

	/** The web application on a random port. */
	static ConfigurableApplicationContext start(SentryTestServer sentry, File cache, String... properties) {
		return start(ResilienceTestApplication.class, WebApplicationType.SERVLET, sentry, cache, properties);
	}

	/** The SDK alone, for tests that capture directly. */
	static ConfigurableApplicationContext startSdk(SentryTestServer sentry, File cache, String... properties) {
		return start(SdkOnly.class, WebApplicationType.NONE, sentry, cache, properties);
	}

	private static ConfigurableApplicationContext start(Class<?> source, WebApplicationType type,
			SentryTestServer sentry, File cache, String... properties) {
		return new SpringApplicationBuilder(source).web(type)
			.properties("sentry.dsn=" + sentry.dsn(), "sentry.cache-dir-path=" + cache.getAbsolutePath(),
					"sentry.cache-retry-interval=200ms", "sentry.flush-timeout=3s", "sentry.shutdown-timeout=1s",
					"server.port=0", "spring.main.banner-mode=off", "logging.level.root=warn",
					// Every failed delivery and every failing request would log a stack trace.
					"logging.level.io.sentry=off", "logging.level.org.apache.catalina=off")
			.properties(properties)
			.run();
	}

	static CountingClientReports reports(ConfigurableApplicationContext context) {
		return context.getBean(SentryUnderTest.class).reports;
	}

	static SentrySdk sdk(ConfigurableApplicationContext context) {
		return context.getBean(SentrySdk.class);
	}

	static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	/** Envelope files in the context's disk cache (the SDK keeps them under a folder per DSN). */
	static int cachedEnvelopes(ConfigurableApplicationContext context) {
		File[] files = new File(sdk(context).getOptions().getCacheDirPath())
			.listFiles((dir, name) -> name.endsWith(".envelope"));
		return (files != null) ? files.length : 0;
	}

	static Set<Long> threadIds() {
		return Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toSet());
	}

	/** Names of the SDK's threads that were started after {@code before} and still run. */
	static List<String> sentryThreadsStartedSince(Set<Long> before) {
		Set<Long> known = new HashSet<>(before);
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && !known.contains(thread.getId()))
			.map(Thread::getName)
			.filter((name) -> name.startsWith("Sentry"))
			.toList();
	}

	/** Request threads caught inside the SDK's transport, its disk cache or an HTTP client call. */
	static List<String> requestThreadsInTransport() {
		ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(false, false);
		return Arrays.stream(threads)
			.filter((thread) -> thread.getThreadName().startsWith("http-nio"))
			.filter((thread) -> Arrays.stream(thread.getStackTrace())
				.anyMatch((frame) -> frame.getClassName().startsWith("io.sentry.transport.HttpConnection")
						|| frame.getClassName().equals("dev.sentryboot.autoconfigure.KeepAliveHttpTransport$Delivery")
						|| frame.getClassName().startsWith("sun.net.www.protocol.http")
						|| frame.getClassName().startsWith("io.sentry.cache")))
			.map((thread) -> thread.getThreadName() + " " + Arrays.toString(thread.getStackTrace()))
			.toList();
	}

	/** HTTP timeouts from test properties; the SDK's lost-envelope counts kept for assertions. */
	@Configuration(proxyBeanMethods = false)
	static class SentryUnderTest {

		volatile CountingClientReports reports;

		@Bean
		SentryOptionsCustomizer testTimeoutsAndCounts(@Value("${test.sentry.connect-timeout-ms:500}") int connect,
				@Value("${test.sentry.read-timeout-ms:500}") int read) {
			return (options) -> {
				options.setConnectionTimeoutMillis(connect);
				options.setReadTimeoutMillis(read);
				this.reports = CountingClientReports.install(options);
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(SentryAutoConfiguration.class)
	@Import(SentryUnderTest.class)
	static class SdkOnly {

	}

	@RestController
	static class FailingController {

		@GetMapping("/fail")
		String fail(@RequestParam String id) {
			throw new IllegalStateException("failed " + id);
		}

	}

}
