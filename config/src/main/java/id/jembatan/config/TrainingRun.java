package id.jembatan.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A training run for a class-data-sharing archive ({@code jembatan.training-run=true}; the launcher beside the jar
 * makes one, docs/deployment.md): the bus starts as it always does, every class of a start is loaded, and once it is
 * ready (its own context, after the demo authorization server's if any) it stops in order (Camel, the HTTP servers,
 * the embedded broker and store) and the JVM exits, which is when {@code -XX:ArchiveClassesAtExit} writes the archive.
 *
 * <p>It touches nothing of a running bus, whatever its profile, files and arguments say (the launcher gives it the
 * user's, so that it starts as the bus will): its store and broker are the embedded ones, in a folder of its own
 * ({@value #DATA_DIR_PROPERTY}, else a new temporary one; the integrators' routes are read from there, so there are
 * none), and every port it would listen on is 0 (any free port; the broker's TCP acceptor at 0 is off). With an empty
 * store and broker, no event is consumed or delivered.
 */
public final class TrainingRun implements EnvironmentPostProcessor, Ordered {

    /** The switch, off by default. */
    public static final String PROPERTY = "jembatan.training-run";
    /** Its data folder, which it may fill and leave behind (the launcher gives a temporary one and removes it). */
    public static final String DATA_DIR_PROPERTY = "jembatan.training-run-data-dir";
    static final String PROPERTY_SOURCE = "jembatan-training-run";

    /**
     * A setting that is a port: {@code server.port}, {@code jembatan.http.operator.port}, {@code ...tax-port},
     * {@code JEMBATAN_SANDBOX_TAX_PORT}.
     */
    private static final Pattern PORT = Pattern.compile(".*[._-]port", Pattern.CASE_INSENSITIVE);

    /** After Spring Boot has read the configuration files and profiles, so that it sees every port they set. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!isOn(environment)) {
            return;
        }
        Map<String, Object> overrides = new LinkedHashMap<>();
        Map<String, Object> environmentOverrides = new LinkedHashMap<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (PORT.matcher(name).matches() && listens(environment, name)) {
                        (source instanceof SystemEnvironmentPropertySource ? environmentOverrides : overrides)
                                .put(name, "0");
                    }
                }
            }
        }
        // An environment variable's name (JEMBATAN_SANDBOX_TAX_PORT) means a setting only in a source of that kind
        // (Spring Boot maps the names of a source named "...-systemEnvironment").
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                PROPERTY_SOURCE + "-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                environmentOverrides));
        overrides.put("server.port", "0");
        overrides.put("jembatan.data-dir", dataDir(environment));
        overrides.put("jembatan.store.embedded", "true");
        overrides.put("spring.datasource.url", "");
        overrides.put("jembatan.broker.embedded", "true");
        overrides.put("jembatan.broker.url", "");
        overrides.put("jembatan.routes-dir", "${jembatan.data-dir}/routes");
        overrides.put("jembatan.routes-reload", "false");
        environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, overrides));
    }

    /** The training's own data folder: {@code jembatan.training-run-data-dir} (the launcher's), else a new one. */
    private static String dataDir(ConfigurableEnvironment environment) {
        String given = environment.getProperty(DATA_DIR_PROPERTY, "");
        if (!given.isBlank()) {
            return given;
        }
        try {
            return Files.createTempDirectory("jembatan-training-").toString();
        } catch (IOException e) {
            throw new UncheckedIOException("no temporary folder for the training run (" + DATA_DIR_PROPERTY + ")", e);
        }
    }

    static boolean isOn(org.springframework.core.env.Environment environment) {
        return environment.getProperty(PROPERTY, Boolean.class, false);
    }

    /** A port the bus would listen on (above 0); -1 and 0 (off, any free port) stay as they are. */
    private static boolean listens(ConfigurableEnvironment environment, String name) {
        try {
            Integer port = environment.getProperty(name, Integer.class);
            return port != null && port > 0;
        } catch (RuntimeException notANumber) {
            return false;
        }
    }

    /** Ends a training run once the bus is ready: an orderly stop, then the JVM's exit (which writes the archive). */
    public static final class End implements ApplicationListener<ApplicationReadyEvent> {

        private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

        @Override
        public void onApplicationEvent(ApplicationReadyEvent event) {
            if (!isOn(event.getApplicationContext().getEnvironment())) {
                return;
            }
            log.info("Training run: the bus was ready in {} ms; stopping it ({}=true)",
                    event.getTimeTaken() == null ? -1 : event.getTimeTaken().toMillis(), PROPERTY);
            System.exit(SpringApplication.exit(event.getApplicationContext()));
        }
    }
}
