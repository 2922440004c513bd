package id.jembatan.bench;

import id.jembatan.JembatanApplication;
import id.jembatan.sandbox.licensing.LicensingSandbox;
import id.jembatan.testkit.JembatanBusTest;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    private InProcessBus(ConfigurableApplicationContext context, int brokerPort, FastSinks sinks) {
        this.context = context;
        this.sinks = sinks;
        this.httpPort = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        this.brokerPort = brokerPort;
    }

    static InProcessBus start(Path dataDir, Path logFile, String extraArgs) throws IOException {
        FastSinks sinks = FastSinks.start();
        int brokerPort = freePort();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--jembatan.http.operator.port=0",
                "--jembatan.data-dir=" + dataDir,
                "--jembatan.broker.port=" + brokerPort,
                "--jembatan.sandbox.tax-port=" + freePort(),
                "--jembatan.sandbox.health-port=" + freePort(),
                "--jembatan.sandbox.webhook-port=" + freePort(),
                "--jembatan.sandbox.civil-registry-port=" + freePort(),
                "--logging.file.name=" + logFile,
                "--logging.threshold.console=WARN",
                // The fan-out is to three agencies: the demo's fourth subscriber, the bansos webhook, gets
                // nothing here (with it, each event costs a fourth delivery and its audit entry; README).
                "--jembatan.agencies.bansos.subscribes="));
        args.addAll(sinks.busArgs());
        if (!extraArgs.isBlank()) {
            args.addAll(Arrays.asList(extraArgs.split("\\s+")));
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(JembatanApplication.class)
                .run(args.toArray(String[]::new));
        return new InProcessBus(context, brokerPort, sinks);
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

    static int freePort() {
        return JembatanBusTest.freePort();
    }
}
