package id.jembatan.testkit;

import id.jembatan.JembatanApplication;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.remoting.server.RemotingService;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One more bus beside the kit's, for a test that needs a bus of its own (other settings, a restart, tampering) or for
 * the benchmark: the one place that knows how to start one, in this JVM ({@link #start()}) or as {@code java -jar}
 * in a process of its own ({@link #startProcess}). Every port it opens is bound first and read back: HTTP and the
 * operator port on 0, no TCP broker acceptor unless asked ({@link #tcpAcceptor}), no in-process demo agencies (give it
 * {@link OutsideAgencies} to deliver to). In this JVM its broker, in-VM acceptor and Camel context carry a name of
 * their own and JMX registration is off, so that it runs beside the kit's bus.
 */
public final class TestBus {

    private static final String ACCEPTOR = "test-bus";

    private final String name;
    private final int inVmId;
    private Path dataDir;
    private OutsideAgencies agencies;
    /** Where its agencies are: none reachable unless told ({@link #deliveringTo}, {@link #withDemoAgenciesOnAnyPort}). */
    private Map<String, String> agencySettings = OutsideAgencies.none();
    private final Map<String, String> settings = new LinkedHashMap<>();

    private TestBus(String name, int inVmId) {
        this.name = Objects.requireNonNull(name, "name");
        this.inVmId = inVmId;
    }

    /**
     * @param name   the broker's and the Camel context's name, e.g. {@code audit-it}
     * @param inVmId the in-VM acceptor's id ({@code vm://<id>}), unique among the buses of the JVM
     */
    public static TestBus named(String name, int inVmId) {
        return new TestBus(name, inVmId);
    }

    public TestBus dataDir(Path dir) {
        this.dataDir = dir;
        return this;
    }

    /** The agencies it delivers to: tax, health and bansos point at them; without, it has no agency to reach. */
    public TestBus deliveringTo(OutsideAgencies outside) {
        this.agencies = outside;
        this.agencySettings = outside.settings();
        return this;
    }

    /** A setting of its own, {@code key} without the leading dashes; it wins over the defaults. */
    public TestBus with(String key, Object value) {
        settings.put(key, String.valueOf(value));
        return this;
    }

    /** Settings written as on the bus's command line, {@code --key=value}, separated by white space. */
    public TestBus withArguments(String commandLine) {
        for (String argument : commandLine.strip().split("\\s+")) {
            if (!argument.isEmpty()) {
                int equals = argument.indexOf('=');
                with(argument.substring(2, equals), argument.substring(equals + 1));
            }
        }
        return this;
    }

    /**
     * The demo agencies in the bus, as the demo jar runs them, each on a port the system chooses: for a bus whose
     * agencies are not reached in the test (their URLs name port 0), such as the benchmark's lookups. The demo
     * authorization server too: the bus asks its issuer for keys only at the first token, so two such buses (two
     * benchmarks, a benchmark beside a test) do not fight over its port.
     */
    public TestBus withDemoAgenciesOnAnyPort() {
        agencies = null;
        agencySettings = new LinkedHashMap<>();
        agencySettings.put("jembatan.sandbox.enabled", "true");
        for (String sandbox : new String[]{"tax", "health", "civil-registry", "webhook", "authorization-server"}) {
            agencySettings.put("jembatan.sandbox." + sandbox + "-port", "0");
        }
        return this;
    }


    /** Its settings, as command-line arguments ({@code --key=value}). */
    public List<String> arguments() {
        Objects.requireNonNull(dataDir, "dataDir");
        Map<String, String> all = new LinkedHashMap<>();
        all.put("server.port", "0");
        all.put("jembatan.http.operator.port", "0");
        all.put("jembatan.data-dir", dataDir.toString());
        all.put("jembatan.broker.port", "0");
        all.putAll(agencySettings);
        all.putAll(settings);
        List<String> arguments = new ArrayList<>();
        all.forEach((key, value) -> arguments.add("--" + key + "=" + value));
        return arguments;
    }

    /** Starts it in this JVM; closing the context stops it. */
    public ConfigurableApplicationContext start() {
        // Beside the kit's bus in this JVM: a broker, in-VM acceptor and Camel context of its own, no JMX names.
        settings.putIfAbsent("jembatan.broker.name", name);
        settings.putIfAbsent("jembatan.broker.in-vm-id", Integer.toString(inVmId));
        settings.putIfAbsent("camel.main.name", name);
        settings.putIfAbsent("jembatan.jmx.enabled", "false");
        settings.putIfAbsent("spring.jmx.unique-names", "true");
        List<String> arguments = arguments();
        if (agencies != null) {
            agencies.secretSettings().forEach((key, value) -> arguments.add("--" + key + "=" + value));
        }
        return new SpringApplicationBuilder(JembatanApplication.class).run(arguments.toArray(String[]::new));
    }

    /**
     * Starts {@code java -jar <jar>} with these settings and {@code jvmArgs}, its console output in
     * {@code consoleFile}, and waits until its health answers.
     *
     * @param environment added to this process's environment (secrets go here, never on the command line)
     */
    public BusProcess startProcess(Path jar, Path consoleFile, String jvmArgs, Map<String, String> environment,
                                   int timeoutSeconds) throws java.io.IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>(environment);
        if (agencies != null) {
            env.putAll(agencies.environment());
        }
        return BusProcess.start(jar, consoleFile, jvmArgs, arguments(), env, timeoutSeconds);
    }

    /**
     * Starts the launcher built beside a jar ({@code sandboxes/target/jembatan-demo}) with these settings, as README's
     * first command runs it, its console output in {@code consoleFile}, and waits until its health answers.
     *
     * @param environment added to this process's environment ({@code JAVA_OPTS}; secrets go here)
     */
    public BusProcess startLauncher(Path launcher, Path consoleFile, Map<String, String> environment,
                                    int timeoutSeconds) throws java.io.IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>(environment);
        if (agencies != null) {
            env.putAll(agencies.environment());
        }
        return BusProcess.startLauncher(launcher, consoleFile, arguments(), env, timeoutSeconds);
    }

    /** The bus's HTTP port, read back from a bus started in this JVM. */
    public static int httpPort(ConfigurableApplicationContext bus) {
        return Integer.parseInt(bus.getEnvironment().getRequiredProperty("local.server.port"));
    }

    /**
     * A CORE+AMQP acceptor on 127.0.0.1 for agencies and operators (the bus's own security applies), on a port the
     * system chooses, added once to a running embedded broker; its port. The bus's own acceptor
     * ({@code jembatan.broker.port}) can only be given a port found free beforehand, which something else may take
     * before the broker binds it.
     */
    public static int tcpAcceptor(EmbeddedActiveMQ broker) {
        RemotingService remoting = broker.getActiveMQServer().getRemotingService();
        synchronized (remoting) {
            try {
                Acceptor acceptor = remoting.getAcceptor(ACCEPTOR);
                if (acceptor == null) {
                    acceptor = remoting.createAcceptor(ACCEPTOR, "tcp://127.0.0.1:0?protocols=CORE,AMQP");
                    acceptor.start();
                }
                return ((NettyAcceptor) acceptor).getActualPort();
            } catch (Exception e) {
                throw new IllegalStateException("no TCP acceptor on the broker", e);
            }
        }
    }
}
