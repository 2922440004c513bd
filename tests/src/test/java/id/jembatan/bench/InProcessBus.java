package id.jembatan.bench;

import id.jembatan.sandbox.licensing.LicensingSandbox;
import id.jembatan.testkit.TestBus;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The whole bus in this JVM (like OutboxRestartIT starts it): embedded broker with its TCP acceptor, the embedded
 * PostgreSQL in the benchmark's data folder, real HTTP, the tax and health agencies pointed at {@link FastSinks} (licensing keeps its
 * demo sandbox; the social welfare webhook subscribes to nothing), production settings otherwise. Its log
 * goes to a file at INFO (every line the bus writes in production); the console gets warnings only, so that the
 * benchmark's own output stays readable.
 */
final class InProcessBus implements AutoCloseable {

    final ConfigurableApplicationContext context;
    final int httpPort;
    final int brokerPort;
    /** Where the tax and health agencies' deliveries go: fast local sinks, not the demo sandboxes. */
    final FastSinks sinks;
    /** This JVM (bus, sinks, load generator) and the embedded PostgreSQL server the bus started. */
    final BusCpu cpu;

    private InProcessBus(ConfigurableApplicationContext context, int brokerPort, FastSinks sinks, Path dataDir) {
        this.context = context;
        this.sinks = sinks;
        this.cpu = new BusCpu("self", dataDir);
        this.httpPort = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        this.brokerPort = brokerPort;
    }

    static InProcessBus start(Path dataDir, Path logFile, String extraArgs) throws IOException {
        FastSinks sinks = FastSinks.start();
        TestBus settings = TestBus.named("jembatan-bench", 50).dataDir(dataDir)
                .withDemoAgenciesOnAnyPort()
                .with("logging.file.name", logFile)
                .with("logging.threshold.console", "WARN")
                // The fan-out is to three agencies: the demo's fourth subscriber, the bansos webhook, gets
                // nothing here (with it, each event costs a fourth delivery and its audit entry; README).
                .with("jembatan.agencies.bansos.subscribes", "")
                // As in production: JMX on (Camel's route MBeans cost time per exchange).
                .with("jembatan.jmx.enabled", true)
                .withArguments(String.join(" ", sinks.busArgs()) + " " + extraArgs);
        ConfigurableApplicationContext context = settings.start();
        int brokerPort = TestBus.tcpAcceptor(context.getBean(EmbeddedActiveMQ.class));
        return new InProcessBus(context, brokerPort, sinks, dataDir);
    }

    LicensingSandbox licensing() {
        return context.getBean(LicensingSandbox.class);
    }

    @Override
    public void close() {
        try {
            context.close();
        } finally {
            sinks.close();
        }
    }
}
