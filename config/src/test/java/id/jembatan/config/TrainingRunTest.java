package id.jembatan.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The environment of a training run ({@link TrainingRun}): the bus as configured, but on a folder, store, broker and
 * ports of its own.
 */
class TrainingRunTest {

    @TempDir
    Path trainingDir;

    /**
     * A production-like environment (an external database and broker, fixed ports for the API, the operators, the
     * broker's acceptor and two demo agencies, one in an environment variable, a TLS acceptor off, a data and a routes folder of its own) with the switch
     * on. Result: every port above 0 is 0, the ones at -1 stay off; the data folder is the training's and the routes
     * are read from it; the store and the broker are the embedded ones, the database URL blank.
     */
    @Test
    void aTrainingRunGetsItsOwnFolderStoreBrokerAndPorts() {
        StandardEnvironment environment = environment(Map.ofEntries(
                Map.entry("jembatan.training-run", "true"),
                Map.entry(TrainingRun.DATA_DIR_PROPERTY, trainingDir.toString()),
                Map.entry("server.port", "9080"),
                Map.entry("jembatan.http.operator.port", "8081"),
                Map.entry("jembatan.broker.port", "61616"),
                Map.entry("jembatan.broker.tls.port", "-1"),
                Map.entry("jembatan.sandbox.tax-port", "8181"),
                Map.entry("jembatan.data-dir", "/var/lib/jembatan"),
                Map.entry("jembatan.routes-dir", "/etc/jembatan/routes"),
                Map.entry("jembatan.store.embedded", "false"),
                Map.entry("spring.datasource.url", "jdbc:postgresql://db.internal:5432/jembatan")));
        environment.getPropertySources().addLast(new MapPropertySource("broker", Map.of(
                "jembatan.broker.embedded", "false", "jembatan.broker.url", "tcp://artemis-a:61616")));
        environment.getPropertySources().addLast(new SystemEnvironmentPropertySource("systemEnvironment",
                Map.of("JEMBATAN_SANDBOX_HEALTH_PORT", "8182")));

        new TrainingRun().postProcessEnvironment(environment, null);

        assertThat(environment.getProperty("server.port")).isEqualTo("0");
        assertThat(environment.getProperty("jembatan.http.operator.port")).isEqualTo("0");
        assertThat(environment.getProperty("jembatan.broker.port")).isEqualTo("0");
        assertThat(environment.getProperty("jembatan.sandbox.tax-port")).isEqualTo("0");
        assertThat(environment.getProperty("jembatan.sandbox.health-port")).isEqualTo("0");
        assertThat(environment.getProperty("jembatan.broker.tls.port")).isEqualTo("-1");
        assertThat(environment.getProperty("jembatan.data-dir")).isEqualTo(trainingDir.toString());
        assertThat(environment.getProperty("jembatan.routes-dir")).isEqualTo(trainingDir + "/routes");
        assertThat(environment.getProperty("jembatan.store.embedded")).isEqualTo("true");
        assertThat(environment.getProperty("spring.datasource.url")).isEmpty();
        assertThat(environment.getProperty("jembatan.broker.embedded")).isEqualTo("true");
        assertThat(environment.getProperty("jembatan.broker.url")).isEmpty();
    }

    /** The same environment without the switch. Result: nothing changes. */
    @Test
    void withoutTheSwitchNothingChanges() {
        StandardEnvironment environment = environment(Map.of("server.port", "9080",
                "jembatan.data-dir", "/var/lib/jembatan", "spring.datasource.url", "jdbc:postgresql://db/jembatan"));

        new TrainingRun().postProcessEnvironment(environment, null);

        assertThat(environment.getPropertySources().contains("jembatan-training-run")).isFalse();
        assertThat(environment.getProperty("server.port")).isEqualTo("9080");
        assertThat(environment.getProperty("jembatan.data-dir")).isEqualTo("/var/lib/jembatan");
    }

    private static StandardEnvironment environment(Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("settings", settings));
        return environment;
    }
}
