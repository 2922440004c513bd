package id.jembatan.config;

import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnectorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnectorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded broker is started on a thread of its own when the context's refresh begins ({@link EarlyBrokerStart}),
 * from the settings bound then; until its bean gives it the agencies' keys only the bus itself, in-VM, signs in.
 */
class EarlyBrokerStartTest {

    @TempDir
    Path dataDir;

    /**
     * A context with no bean at all, the embedded broker on (the default) with a TCP acceptor. Result: a broker was
     * started ahead of the context; an in-VM client signs in, a TCP client is refused (no keys yet); closing the
     * context stops the broker nobody took.
     */
    @Test
    void theBrokerStartsAheadOfTheContextAndAdmitsOnlyTheBusUntilItsBeanIsMade() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        BrokerStart.Started started;
        try (ConfigurableApplicationContext context = run("jembatan.data-dir=" + dataDir,
                "jembatan.store.embedded=false", "jembatan.broker.name=early-broker-test",
                "jembatan.broker.in-vm-id=41", "jembatan.broker.port=" + port)) {
            @SuppressWarnings("unchecked")
            PendingStart<BrokerStart, BrokerStart.Started> pending =
                    (PendingStart<BrokerStart, BrokerStart.Started>) context.getBean(EarlyBrokerStart.BEAN_NAME);
            started = pending.started().join();
            assertThat(started.broker().getActiveMQServer().isActive()).isTrue();

            try (ServerLocator inVm = ActiveMQClient.createServerLocatorWithoutHA(
                    new TransportConfiguration(InVMConnectorFactory.class.getName(), Map.of("serverId", 41)));
                 var session = inVm.createSessionFactory().createSession()) {
                assertThat(session.isClosed()).isFalse();
            }
            try (ServerLocator tcp = ActiveMQClient.createServerLocatorWithoutHA(new TransportConfiguration(
                    NettyConnectorFactory.class.getName(), Map.of("host", "127.0.0.1", "port", port)))) {
                assertThatThrownBy(() -> tcp.createSessionFactory().createSession("operator", "any key", false,
                        true, true, false, 1)).hasMessageContaining("AMQ229031");
            }
        }
        assertThat(started.broker().getActiveMQServer().isStarted()).isFalse();
    }

    /** {@code jembatan.broker.embedded=false}. Result: nothing is started ahead of the context. */
    @Test
    void nothingStartsWithAnExternalBroker() {
        try (ConfigurableApplicationContext context = run("jembatan.data-dir=" + dataDir,
                "jembatan.store.embedded=false", "jembatan.broker.embedded=false",
                "jembatan.broker.url=tcp://127.0.0.1:1")) {
            assertThat(context.containsBean(EarlyBrokerStart.BEAN_NAME)).isFalse();
        }
        assertThat(dataDir.resolve("broker")).doesNotExist();
    }

    /** On the command line: above the module's application.yaml, which names {@code ./data}. */
    private static ConfigurableApplicationContext run(String... properties) {
        return new SpringApplicationBuilder(Empty.class).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                .run(java.util.Arrays.stream(properties).map(p -> "--" + p).toArray(String[]::new));
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }
}
