package dev.sentryboot.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small orders service that shows what sentry-boot captures. Nothing in it mentions Sentry
 * except the configuration and one endpoint that enriches the scope on purpose.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
