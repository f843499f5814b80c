package dev.sentryboot.autoconfigure.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.sentryboot.autoconfigure.SentrySdk;
import dev.sentryboot.autoconfigure.testsupport.SentryWireTests;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queries of a failing request, on the one event Sentry receives for it.
 */
@SpringBootTest(classes = JdbcWebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.sql.init.schema-locations=classpath:dev/sentryboot/autoconfigure/jdbc/schema.sql")
class JdbcWebTests extends SentryWireTests {

	@Autowired
	SentrySdk sdk;

	@Test
	void failingRequestReportsItsQueriesWithTheFailingOneLast() throws Exception {
		assertThat(http().status("/orders/archive")).isEqualTo(500);
		JsonNode event = sentry.awaitEvents(1, Duration.ofSeconds(10)).get(0);
		this.sdk.flush();
		assertThat(sentry.events()).hasSize(1);
		List<JsonNode> queries = new ArrayList<>();
		for (JsonNode crumb : event.path("breadcrumbs")) {
			if ("query".equals(crumb.path("category").asString())) {
				queries.add(crumb);
			}
		}
		assertThat(queries).extracting((crumb) -> crumb.path("message").asString())
			.containsExactly(JdbcWebTestApplication.COUNT_SQL, JdbcWebTestApplication.FAILING_SQL);
		JsonNode failed = queries.get(1);
		assertThat(failed.path("level").asString()).isEqualTo("error");
		assertThat(failed.path("data").path("sql_state").asString()).isEqualTo("42S02");
	}

}
