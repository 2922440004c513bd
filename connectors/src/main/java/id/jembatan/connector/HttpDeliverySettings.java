package id.jembatan.connector;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The delivery setting of a connector type that sends over HTTP ({@code jembatan.agencies.<id>.delivery.timeout}),
 * beside the retry settings every agency has.
 *
 * @param timeout how long one request may take until the answer's headers arrive (connecting included)
 */
public record HttpDeliverySettings(@NotNull @DefaultValue("10s") Duration timeout) {
}
