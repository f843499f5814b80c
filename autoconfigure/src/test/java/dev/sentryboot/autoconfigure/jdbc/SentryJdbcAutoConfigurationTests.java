package dev.sentryboot.autoconfigure.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.sentryboot.autoconfigure.SentryAutoConfiguration;
import dev.sentryboot.autoconfigure.SentryProperties;
import dev.sentryboot.autoconfigure.SentrySdk;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.proxy.ParameterSetOperation;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.boot.jdbc.metadata.HikariDataSourcePoolMetadata;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

import static org.assertj.core.api.Assertions.assertThat;

class SentryJdbcAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SentryAutoConfiguration.class, DataSourceAutoConfiguration.class,
				DataSourceInitializationAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
				SentryJdbcAutoConfiguration.class));

	@Test
	void wrapsTheDataSourceOnceAndUnwrapsToThePool() {
		this.runner.run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(dataSource).isInstanceOf(ProxyDataSource.class);
			assertThat(((ProxyDataSource) dataSource).getDataSource()).isInstanceOf(HikariDataSource.class);
			assertThat(dataSource.isWrapperFor(HikariDataSource.class)).isTrue();
			assertThat(dataSource.unwrap(HikariDataSource.class)).isInstanceOf(HikariDataSource.class);
			BeanPostProcessor postProcessor = context.getBean(SentryDataSourcePostProcessor.class);
			assertThat(postProcessor.postProcessAfterInitialization(dataSource, "dataSource")).isSameAs(dataSource);
		});
	}

	@Test
	void bootStillFindsThePoolAndRunsSchemaScripts() {
		this.runner.withPropertyValues("spring.sql.init.schema-locations=classpath:dev/sentryboot/autoconfigure/jdbc/schema.sql")
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				assertThat(dataSource).isInstanceOf(ProxyDataSource.class);
				assertThat(context.getBean(DataSourcePoolMetadataProvider.class).getDataSourcePoolMetadata(dataSource))
					.isInstanceOf(HikariDataSourcePoolMetadata.class);
				assertThat(context.getBean(JdbcTemplate.class).queryForObject("select count(*) from orders", Integer.class))
					.isZero();
			});
	}

	@Test
	void parameterValuesReachTheDriverButAreNotKeptWhenTheyCannotBeRecorded() {
		this.runner.withPropertyValues("spring.datasource.url=jdbc:h2:mem:unrecorded").run((context) -> {
			List<List<List<ParameterSetOperation>>> kept = new ArrayList<>();
			List<Integer> batchSizes = new ArrayList<>();
			runBatchAndSelect(context.getBean(DataSource.class), kept, batchSizes);
			// The batch still counts two rows, and both rows were written with their values.
			assertThat(batchSizes).containsExactly(2, 0);
			assertThat(kept).hasSize(2)
				.allSatisfy((rows) -> assertThat(rows).allSatisfy((row) -> assertThat(row).isEmpty()));
			assertThat(context.getBean(JdbcTemplate.class)
				.queryForList("select name from items where id in (1, 2) order by id", String.class))
				.containsExactly("one", "two");
		});
	}

	@Test
	void parameterValuesAreKeptWhenTheyMayBeRecorded() {
		this.runner.withPropertyValues("spring.datasource.url=jdbc:h2:mem:recorded", "sentry.jdbc.include-parameters=true")
			.run((context) -> {
				List<List<List<ParameterSetOperation>>> kept = new ArrayList<>();
				runBatchAndSelect(context.getBean(DataSource.class), kept, new ArrayList<>());
				assertThat(kept.get(0)).hasSize(2).allSatisfy((row) -> assertThat(row).hasSize(2));
				assertThat(kept.get(1)).singleElement().satisfies((row) -> assertThat(row).hasSize(1));
			});
	}

	/** A two-row batch and a select, watched by a second listener on the proxy's own chain. */
	private static void runBatchAndSelect(DataSource dataSource, List<List<List<ParameterSetOperation>>> kept,
			List<Integer> batchSizes) throws Exception {
		try (Connection connection = dataSource.getConnection()) {
			connection.createStatement().execute("create table items (id int, name varchar(10))");
			try (PreparedStatement insert = connection.prepareStatement("insert into items values (?, ?)");
					PreparedStatement select = connection.prepareStatement("select name from items where id = ?")) {
				assertThat(insert).isInstanceOf(ProxyJdbcObject.class);
				((ProxyJdbcObject) insert).getProxyConfig().getQueryListener().addListener(new QueryExecutionListener() {

					@Override
					public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queries) {
					}

					@Override
					public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queries) {
						if (!queries.get(0).getQuery().startsWith("create")) {
							kept.add(queries.get(0).getParametersList());
							batchSizes.add(execInfo.getBatchSize());
						}
					}

				});
				for (int id = 1; id <= 2; id++) {
					insert.setInt(1, id);
					insert.setString(2, (id == 1) ? "one" : "two");
					insert.addBatch();
				}
				assertThat(insert.executeBatch()).containsExactly(1, 1);
				select.setInt(1, 2);
				try (var rows = select.executeQuery()) {
					assertThat(rows.next()).isTrue();
					assertThat(rows.getString(1)).isEqualTo("two");
				}
			}
		}
	}

	@Test
	void leavesDataSourcesProxiedByTheApplicationAlone() {
		ProxyDataSource own = ProxyDataSourceBuilder.create(new DriverManagerDataSource("jdbc:h2:mem:own")).build();
		this.runner.withBean("dataSource", DataSource.class, () -> own)
			.run((context) -> assertThat(context.getBean(DataSource.class)).isSameAs(own));
	}

	@Test
	void leavesSpringDelegatesOfAProxyAlone() {
		TransactionAwareDataSourceProxy delegate = new TransactionAwareDataSourceProxy(
				ProxyDataSourceBuilder.create(new DriverManagerDataSource("jdbc:h2:mem:delegate")).build());
		this.runner.withBean("dataSource", DataSource.class, () -> delegate)
			.run((context) -> assertThat(context.getBean(DataSource.class)).isSameAs(delegate));
	}

	@Test
	void skipsExcludedBeans() {
		this.runner
			.withBean("reporting", DataSource.class, () -> new DriverManagerDataSource("jdbc:h2:mem:reporting"))
			.withBean("orders", DataSource.class, () -> new DriverManagerDataSource("jdbc:h2:mem:orders"))
			.withPropertyValues("sentry.jdbc.excluded-datasource-beans=reporting")
			.run((context) -> {
				assertThat(context.getBean("reporting")).isInstanceOf(DriverManagerDataSource.class);
				assertThat(context.getBean("orders")).isInstanceOf(ProxyDataSource.class);
			});
	}

	@Test
	void skipsScopedTargetsInFavourOfTheirProxy() {
		this.runner
			.withBean("scopedTarget.dataSource", DataSource.class,
					() -> new DriverManagerDataSource("jdbc:h2:mem:scoped"))
			.run((context) -> assertThat(context.getBean("scopedTarget.dataSource"))
				.isInstanceOf(DriverManagerDataSource.class));
	}

	@Test
	void wrapsARoutingDataSourceAsOne() {
		DataSource first = new DriverManagerDataSource("jdbc:h2:mem:first");
		DataSource second = new DriverManagerDataSource("jdbc:h2:mem:second");
		AbstractRoutingDataSource routing = new AbstractRoutingDataSource() {
			@Override
			protected Object determineCurrentLookupKey() {
				throw new IllegalStateException("no routing key while the application starts");
			}
		};
		routing.setTargetDataSources(Map.of("first", first, "second", second));
		routing.setDefaultTargetDataSource(first);
		this.runner.withBean("dataSource", DataSource.class, () -> routing).run((context) -> {
			assertThat(context).hasNotFailed();
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(((ProxyDataSource) dataSource).getDataSource()).isSameAs(routing);
			assertThat(dataSource.unwrap(AbstractRoutingDataSource.class)).isSameAs(routing);
		});
	}

	@Test
	void offWhenDisabled() {
		this.runner.withPropertyValues("sentry.jdbc.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(SentryDataSourcePostProcessor.class);
			assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
		});
	}

	@Test
	void leavesDataSourcesAloneWhenSentryIsDisabled() {
		this.runner.withPropertyValues("sentry.enabled=false")
			.run((context) -> assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class));
	}

	@Test
	void backsOffWhenTheApplicationDefinesThePostProcessor() {
		this.runner
			.withBean("ownPostProcessor", SentryDataSourcePostProcessor.class,
					SentryJdbcAutoConfigurationTests::ownPostProcessor)
			.run((context) -> {
				assertThat(context).getBeans(SentryDataSourcePostProcessor.class).containsOnlyKeys("ownPostProcessor");
				assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
			});
	}

	@Test
	void notWithoutDatasourceProxy() {
		this.runner.withClassLoader(new FilteredClassLoader(ProxyDataSource.class)).run((context) -> {
			assertThat(context).doesNotHaveBean(SentryDataSourcePostProcessor.class);
			assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
		});
	}

	@Test
	void notWithoutADataSource() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SentryAutoConfiguration.class, SentryJdbcAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SentryDataSourcePostProcessor.class));
	}

	private static SentryDataSourcePostProcessor ownPostProcessor() {
		SentryProperties properties = new SentryProperties();
		properties.getJdbc().setEnabled(false);
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("sentryProperties", properties);
		return new SentryDataSourcePostProcessor(beans.getBeanProvider(SentryProperties.class),
				beans.getBeanProvider(SentrySdk.class));
	}

}
