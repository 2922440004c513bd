package id.jembatan.it;

import id.jembatan.config.BrokerConfiguration;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManagerImpl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * An ActiveMQ Artemis broker in a JVM of its own, standing in for the external broker of a production deployment:
 * started from the Maven test classpath, with a TCP acceptor on a port the system chooses and its journal in a folder of its
 * own. It carries the addresses and address settings of the bus's shipped {@code broker.xml} (redelivery, dead
 * letters, persisted duplicate-detection cache), which is what {@code docs/deployment.md} asks of an external broker;
 * the bus instances create their agency queues on it themselves. Security is on, as on a production broker: the
 * bus signs in as one user with the role {@code bus} that the shipped security settings grant.
 */
final class StandaloneBroker implements AutoCloseable {

    private static final String PORT_FILE = "broker.port";

    private final Process process;
    private final int port;

    private StandaloneBroker(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the broker JVM, its acceptor on a port the system chooses, and waits until the broker has written that
     * port to {@code <dir>/broker.port} and takes connections on it.
     */
    static StandaloneBroker start(Path dir, String busUser, String busPassword, int timeoutSeconds)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path portFile = dir.resolve(PORT_FILE);
        Files.deleteIfExists(portFile);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), StandaloneBroker.class.getName(),
                dir.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("broker.out").toFile());
        // The password travels in the environment, not on the command line where any process can read it.
        builder.environment().put("BROKER_BUS_USER", busUser);
        builder.environment().put("BROKER_BUS_PASSWORD", busPassword);
        Process process = builder.start();
        // A test or benchmark JVM that is stopped (Ctrl-C, SIGTERM, a CI timeout) takes its broker process with it,
        // instead of leaving it running and holding its ports.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "broker-process-reaper"));
        try {
            int port = await("the broker listening").atMost(Duration.ofSeconds(timeoutSeconds))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the broker JVM exited with " + process.exitValue()
                                    + " during start; see " + dir.resolve("broker.out"));
                        }
                        return Files.exists(portFile) ? Integer.parseInt(Files.readString(portFile).strip()) : 0;
                    }, p -> p > 0);
            return new StandaloneBroker(process, port);
        } catch (RuntimeException e) {
            new StandaloneBroker(process, 0).close();
            throw e;
        }
    }

    /** The CORE client URL of this broker, as an operator would configure it in {@code jembatan.broker.url}. */
    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * In the broker's JVM: {@code <folder>}; writes the acceptor's port to {@code <folder>/broker.port} once it
     * listens (written aside and moved, so a reader never sees half of it); runs until the process is stopped.
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        FileConfiguration config = BrokerConfiguration.fromBrokerXml("external", dir);
        config.addAcceptorConfiguration("artemis", "tcp://127.0.0.1:0?protocols=CORE,AMQP");
        ActiveMQSecurityManagerImpl security = new ActiveMQSecurityManagerImpl();
        security.getConfiguration().addUser(System.getenv("BROKER_BUS_USER"), System.getenv("BROKER_BUS_PASSWORD"));
        security.getConfiguration().addRole(System.getenv("BROKER_BUS_USER"), "bus");
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.setSecurityManager(security);
        broker.start();
        int port = ((NettyAcceptor) broker.getActiveMQServer().getRemotingService().getAcceptor("artemis"))
                .getActualPort();
        Path written = Files.writeString(dir.resolve(PORT_FILE + ".tmp"), Integer.toString(port));
        Files.move(written, dir.resolve(PORT_FILE), StandardCopyOption.ATOMIC_MOVE);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.stop();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        stopped.await();
    }
}
