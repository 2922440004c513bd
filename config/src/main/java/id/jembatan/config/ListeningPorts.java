package id.jembatan.config;

import id.jembatan.settings.InvalidConfigurationException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * The ports the bus listens on besides HTTP (the broker's acceptor, the demo sandboxes): when one cannot be opened
 * because another program, or another bus on the same machine, already listens there, the start stops with the
 * setting to change instead of a stack trace (Spring Boot does the same for {@code server.port}).
 */
public final class ListeningPorts {

    private ListeningPorts() {
    }

    /**
     * After {@code failure} to open {@code host:port}: the configuration problem naming {@code key} if the port is
     * taken, else {@code failure} itself.
     *
     * @param zero what 0 means for this setting, e.g. "any free port"
     */
    public static RuntimeException explain(RuntimeException failure, String key, String host, int port, String zero) {
        if (port > 0 && inUse(host, port)) {
            return new InvalidConfigurationException(List.of(key + ": " + host + ":" + port + " is already in use"
                    + " (another program, or another bus on this machine); choose a free port, or 0 for " + zero));
        }
        return failure;
    }

    /** Whether something listens on {@code host:port} now: a probe that binds and closes at once. */
    static boolean inUse(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(false);
            probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
