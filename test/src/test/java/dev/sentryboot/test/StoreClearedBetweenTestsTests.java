package dev.sentryboot.test;

import dev.sentryboot.test.app.TestApplication;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

import static dev.sentryboot.test.SentryAssertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Same configuration as {@link SentryEventsMockMvcTests}, so the same cached context. */
@SpringBootTest(classes = TestApplication.class)
@AutoConfigureMockMvc
@AutoConfigureSentryTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoreClearedBetweenTestsTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	SentryEvents sentryEvents;

	@Test
	@Order(1)
	void firstTestCapturesTwoEvents() throws Exception {
		this.mvc.perform(get("/api/fail")).andExpect(status().isInternalServerError());
		this.mvc.perform(get("/api/fail")).andExpect(status().isInternalServerError());
		this.mvc.perform(get("/api/orders/1")).andExpect(status().isOk());

		assertThat(this.sentryEvents).hasSize(2);
		// one transaction per request
		SentryAssertions.assertThatTransactions(this.sentryEvents).hasSize(3);
	}

	@Test
	@Order(2)
	void secondTestStartsWithAnEmptyStore() {
		assertThat(this.sentryEvents).isEmpty();
		SentryAssertions.assertThatTransactions(this.sentryEvents).isEmpty();
	}

}
