package id.jembatan.outbox;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The relay that publishes applied events from the outbox table to the broker ({@code jembatan.outbox.*}).
 *
 * @param autoStartup  start publishing when the application starts
 * @param batchSize    rows published in one broker transaction
 * @param pollInterval how often the relay looks for rows when nothing woke it (other instances, restarts)
 * @param retryDelay   wait before reconnecting after the broker or database failed
 * @param publishAfterIngest the inbound queue's consumer publishes the events it applied in its own broker
 *                     transaction (one commit for the acknowledgement and the publication); false: it commits the
 *                     acknowledgement alone and wakes the relay
 */
@ConfigurationProperties(prefix = "jembatan.outbox")
public record OutboxSettings(@DefaultValue("true") boolean autoStartup,
                             @Min(1) @DefaultValue("200") int batchSize,
                             @NotNull @DefaultValue("1s") Duration pollInterval,
                             @NotNull @DefaultValue("2s") Duration retryDelay,
                             @DefaultValue("true") boolean publishAfterIngest) {
}
