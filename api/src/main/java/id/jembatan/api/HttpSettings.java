package id.jembatan.api;

import jakarta.validation.Valid;
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
 */
@ConfigurationProperties(prefix = "jembatan.http")
public record HttpSettings(@NotNull @DefaultValue("10s") Duration requestHeadTimeout,
                           @NotNull @DefaultValue("10s") Duration requestBodyTimeout,
                           @Min(1024) @DefaultValue("1048576") int operatorMaxBodyBytes,
                           @Valid @DefaultValue Operator operator) {

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
}
