package id.jembatan.bus;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
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
 * @param tls           a CORE+AMQP acceptor over TLS where agencies sign in with a client certificate
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
                             @NotBlank String eventsAddress,
                             @Valid @DefaultValue Tls tls) {

    /**
     * The embedded broker's TLS acceptor ({@code jembatan.broker.tls.*}): CORE and AMQP over TLS, each client asked
     * for a certificate of a CA in the trust store; an agency whose certificate is registered
     * ({@code jembatan.agencies.<id>.client-certificates}) signs in without user and password. Stores are PKCS#12.
     *
     * @param port               the port; -1 (the default) turns it off, 0 picks a free one
     * @param keyStore           the broker's server key and certificate
     * @param keyStorePassword   its password
     * @param trustStore         the CAs whose client certificates are accepted
     * @param trustStorePassword its password
     * @param needClientAuth     true: a client without a certificate is refused at the handshake; false: it may sign
     *                           in with user and key over TLS
     */
    public record Tls(@Min(-1) @DefaultValue("-1") int port,
                      @DefaultValue("") String keyStore,
                      String keyStorePassword,
                      @DefaultValue("") String trustStore,
                      String trustStorePassword,
                      @DefaultValue("true") boolean needClientAuth) {

        @AssertTrue(message = "jembatan.broker.tls.key-store and trust-store are required when jembatan.broker.tls.port"
                + " is set")
        public boolean isStores() {
            return port < 0 || (!keyStore.isBlank() && !trustStore.isBlank());
        }

        /** The acceptor's URL parameters for TLS (the passwords included: never log it). */
        public String acceptorParameters() {
            return "sslEnabled=true;needClientAuth=" + needClientAuth
                    + ";keyStoreType=PKCS12;keyStorePath=" + keyStore + ";keyStorePassword=" + keyStorePassword
                    + ";trustStoreType=PKCS12;trustStorePath=" + trustStore + ";trustStorePassword="
                    + trustStorePassword;
        }

        /** Without the passwords, which are never logged. */
        @Override
        public String toString() {
            return "Tls[port=" + port + ", keyStore=" + keyStore + ", trustStore=" + trustStore + ", needClientAuth="
                    + needClientAuth + "]";
        }
    }

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
