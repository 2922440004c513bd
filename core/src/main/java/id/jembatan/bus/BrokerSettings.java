package id.jembatan.bus;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * The embedded broker, or the external one the bus connects to ({@code jembatan.broker.*}).
 *
 * @param embedded      start Artemis inside the bus; false when {@code url} points at an external broker or cluster
 * @param url           client URL; empty means the embedded broker's in-VM acceptor
 * @param name          name of the embedded broker (also its JMX name)
 * @param host          host the embedded broker's CORE+AMQP acceptor binds to
 * @param port          port of the embedded broker's CORE+AMQP acceptor; 0 switches the TCP acceptor off
 * @param inVmId        id of the embedded broker's in-VM acceptor; distinct per broker when several run in one JVM
 * @param user          the bus's own broker user on an external broker with security on
 * @param password      that user's password
 * @param eventsAddress the multicast address every applied event is published to
 */
@ConfigurationProperties(prefix = "jembatan.broker")
public record BrokerSettings(@DefaultValue("true") boolean embedded,
                             @DefaultValue("") String url,
                             @NotBlank @DefaultValue("jembatan") String name,
                             @NotBlank @DefaultValue("127.0.0.1") String host,
                             @Min(0) @DefaultValue("61616") int port,
                             @Min(0) @DefaultValue("0") int inVmId,
                             String user,
                             String password,
                             @NotBlank String eventsAddress) {

    /** The URL clients of this bus use: the configured one, or the embedded broker's in-VM acceptor. */
    public String clientUrl() {
        return url == null || url.isBlank() ? "vm://" + inVmId : url;
    }

    /** What is wrong with these settings together (beyond each one's own constraints), each problem naming its key. */
    public List<String> problems() {
        if (!embedded && (url == null || url.isBlank())) {
            return List.of("jembatan.broker.url is required when jembatan.broker.embedded=false: the external"
                    + " broker or cluster, e.g. (tcp://a:61616,tcp://b:61616)?ha=true&reconnectAttempts=-1");
        }
        return List.of();
    }

    /** Without the password, which is never logged. */
    @Override
    public String toString() {
        return "BrokerSettings[embedded=" + embedded + ", url=" + url + ", name=" + name + ", host=" + host
                + ", port=" + port + ", inVmId=" + inVmId + ", user=" + user + ", password=***, eventsAddress="
                + eventsAddress + "]";
    }
}
