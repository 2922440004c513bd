package id.jembatan;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts the Jembatan bus: broker, database, routes, HTTP API (and, in the demo jar, the demo agencies). */
@SpringBootApplication
@ConfigurationPropertiesScan("id.jembatan.settings")
public class JembatanApplication {

    public static void main(String[] args) {
        SpringApplication.run(JembatanApplication.class, args);
    }
}
