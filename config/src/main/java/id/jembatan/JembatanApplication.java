package id.jembatan;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts the Jembatan bus: broker, database, routes, HTTP API (and, in the demo jar, the demo agencies). Every
 * settings record under {@code id.jembatan} ({@code @ConfigurationProperties}, beside the feature that reads it) is
 * bound from the configuration.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class JembatanApplication {

    public static void main(String[] args) {
        SpringApplication.run(JembatanApplication.class, args);
    }
}
