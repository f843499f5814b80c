package dev.sentryboot.autoconfigure.web;

import java.util.List;

import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentrySdk;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.ResolvableType;

import static org.assertj.core.api.Assertions.assertThat;

class SentryWebAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SentryAutoConfiguration.class, SentryWebAutoConfiguration.class));

	@Test
	void registersFilterEarlyForRequestAndAsyncDispatchesAndTheResolver() {
		this.runner.run((context) -> {
			FilterRegistrationBean<?> registration = filterRegistration(context.getBeanFactory()
				.getBeanNamesForType(ResolvableType.forClassWithGenerics(FilterRegistrationBean.class,
						SentryRequestFilter.class)), context);
			assertThat(registration.getOrder()).isEqualTo(SentryRequestFilter.ORDER);
			assertThat(registration.getFilter()).isInstanceOf(SentryRequestFilter.class);
			assertThat(context).hasSingleBean(SentryExceptionResolver.class);
		});
	}

	@Test
	void backsOffWhenUserDefinesFilter() {
		this.runner
			.withBean("myFilter", SentryRequestFilter.class,
					() -> new SentryRequestFilter(disabledSdk(), true, false, List.of(), null))
			.run((context) -> assertThat(context.getBeanNamesForType(FilterRegistrationBean.class)).isEmpty());
	}

	@Test
	void backsOffWhenUserDefinesResolver() {
		SentryExceptionResolver own = new SentryExceptionResolver();
		this.runner.withBean(SentryExceptionResolver.class, () -> own)
			.run((context) -> assertThat(context.getBean(SentryExceptionResolver.class)).isSameAs(own));
	}

	@Test
	void notInNonWebApplications() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SentryAutoConfiguration.class, SentryWebAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SentryExceptionResolver.class)
				.hasSingleBean(SentrySdk.class));
	}

	@Test
	void filterDispatchTypesAreRequestAndAsync() {
		this.runner.run((context) -> {
			FilterRegistrationBean<?> registration = context.getBean(FilterRegistrationBean.class);
			assertThat(registration).extracting("dispatcherTypes")
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.ITERABLE)
				.containsExactlyInAnyOrder(DispatcherType.REQUEST, DispatcherType.ASYNC);
		});
	}

	private static FilterRegistrationBean<?> filterRegistration(String[] names,
			org.springframework.context.ApplicationContext context) {
		assertThat(names).hasSize(1);
		return context.getBean(names[0], FilterRegistrationBean.class);
	}

	/** An SDK that stays off: enough to build a filter by hand. */
	private static SentrySdk disabledSdk() {
		SentrySdk[] holder = new SentrySdk[1];
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SentryAutoConfiguration.class))
			.withPropertyValues("sentry.enabled=false")
			.run((context) -> holder[0] = context.getBean(SentrySdk.class));
		return holder[0];
	}

}
