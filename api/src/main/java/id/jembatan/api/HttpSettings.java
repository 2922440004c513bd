package id.jembatan.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How long a request may take to arrive, how large an operator's body may be, and the operators' own port
 * ({@code jembatan.http.*}). The connector's idle timeouts are Tomcat's ({@code server.tomcat.connection-timeout},
 * {@code keep-alive-timeout}); these bound the whole.
 *
 * @param requestHeadTimeout   a request's line and headers must arrive whole within this time of its first byte
 * @param requestBodyTimeout   a request's body must arrive whole within this time once the bus starts reading it
 * @param operatorMaxBodyBytes the largest body an operator may send (the console's Jolokia requests read many MBeans
 *                             in one POST); agencies' bodies keep {@code jembatan.ingest.max-body-bytes}
 * @param operator             the operators' port
 * @param tls                  the HTTPS port where agencies may sign in with a client certificate
 */
@ConfigurationProperties(prefix = "jembatan.http")
public record HttpSettings(@NotNull @DefaultValue("10s") Duration requestHeadTimeout,
                           @NotNull @DefaultValue("10s") Duration requestBodyTimeout,
                           @Min(1024) @DefaultValue("1048576") int operatorMaxBodyBytes,
                           @Valid @DefaultValue Operator operator,
                           @Valid @DefaultValue Tls tls) {

    /**
     * A second HTTP port with request threads of its own, serving only health, the console and the operator calls:
     * it keeps answering while agencies' requests occupy every thread of the main port.
     *
     * @param port    the port; 0 picks a free one, -1 turns the operator port off
     * @param address the address to listen on; empty: the same as the main port ({@code server.address})
     * @param threads request threads of this port alone
     */
    public record Operator(@Min(-1) @DefaultValue("8081") int port,
                           @DefaultValue("") String address,
                           @Min(1) @DefaultValue("8") int threads) {
    }

    /**
     * An HTTPS port (mutual TLS) beside the main one: it serves the same API, and asks each client for a certificate
     * issued by a CA of the bundle's trust store; a certificate registered for an agency
     * ({@code jembatan.agencies.<id>.client-certificates}) signs that agency in.
     *
     * @param port       the port; 0 picks a free one, -1 (the default) turns HTTPS off
     * @param bundle     the Spring Boot SSL bundle ({@code spring.ssl.bundle.jks.<name>} or {@code .pem.<name>}): its
     *                   key store holds the bus's server certificate and key, its trust store the CAs whose client
     *                   certificates are accepted
     * @param clientAuth {@code want}: a client may also come without a certificate (and sign in with a key or token
     *                   over TLS); {@code need}: every client must present one
     */
    public record Tls(@Min(-1) @DefaultValue("-1") int port,
                      @DefaultValue("") String bundle,
                      @NotNull @DefaultValue("want") ClientAuth clientAuth) {

        @AssertTrue(message = "jembatan.http.tls.bundle must name an SSL bundle when jembatan.http.tls.port is set")
        public boolean isBundle() {
            return port < 0 || (bundle != null && !bundle.isBlank());
        }
    }

    /** Whether the HTTPS port requires a client certificate. */
    public enum ClientAuth { WANT, NEED }
}
