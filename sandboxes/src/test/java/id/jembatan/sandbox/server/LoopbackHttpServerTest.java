package id.jembatan.sandbox.server;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoopbackHttpServerTest {

    /**
     * A sandbox's server. Result: bound to 127.0.0.1 on a free port, and the JDK told to send with TCP_NODELAY
     * (before it, every answer over a kept-alive connection took 40 ms: curl measured 0.044 s against 0.004 s).
     */
    @Test
    void bindsTheIpv4LoopbackWithNoDelay() {
        HttpServer server = LoopbackHttpServer.create("test sandbox", 0);
        try {
            assertThat(server.getAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(server.getAddress().getPort()).isPositive();
            assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
        } finally {
            server.stop(0);
        }
    }

    /** A port already taken. Result: an error that names who wanted it and the port. */
    @Test
    void aTakenPortSaysWhoWantedIt() {
        HttpServer first = LoopbackHttpServer.create("test sandbox", 0);
        try {
            int port = first.getAddress().getPort();
            assertThatThrownBy(() -> LoopbackHttpServer.create("second sandbox", port))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessage("second sandbox cannot listen on 127.0.0.1:" + port);
        } finally {
            first.stop(0);
        }
    }
}
