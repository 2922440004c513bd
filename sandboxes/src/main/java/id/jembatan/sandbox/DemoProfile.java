package id.jembatan.sandbox;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.AbstractEnvironment;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Makes {@code demo} the default profile wherever the demo agencies are on the classpath (the demo jar, the tests):
 * with no profile chosen, the bus starts with the demo agencies and their published keys
 * ({@code application-demo.yaml}, in this module). The production jar has neither, and starts with Spring's
 * {@code default} profile. A default profile set on the command line or in the environment
 * ({@code spring.profiles.default}) still wins; an active profile ({@code production}) replaces it as always.
 */
public class DemoProfile implements EnvironmentPostProcessor, Ordered {

    public static final String NAME = "demo";

    /** Before Spring Boot reads the configuration files, which is when it settles the profiles. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getProperty(AbstractEnvironment.DEFAULT_PROFILES_PROPERTY_NAME) == null) {
            environment.setDefaultProfiles(NAME);
        }
    }
}
