package id.jembatan.ingest;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Inbound events over HTTP and the broker ({@code jembatan.ingest.*}).
 *
 * @param maxBodyBytes    largest accepted event body, over HTTP and JMS (and any other request body of an agency; an
 *                        operator's has {@code jembatan.http.operator-max-body-bytes})
 * @param queue           the owner agency's inbound queue: same validation as {@code POST /api/v1/events}
 * @param queueAgency     the agency whose events arrive on {@code queue}
 * @param deadLetterQueue where refused inbound messages go, with their error code
 * @param consumers       parallel consumers of the inbound queue
 * @param batchSize       most messages one consumer takes off the inbound queue for one database transaction and one
 *                        broker commit (it takes what is already waiting, never waits to fill a batch); also the
 *                        most HTTP requests applied in one group commit
 */
@ConfigurationProperties(prefix = "jembatan.ingest")
public record IngestSettings(@Min(1024) @DefaultValue("65536") int maxBodyBytes,
                             @NotBlank String queue,
                             @NotBlank String queueAgency,
                             @NotBlank String deadLetterQueue,
                             @Min(1) @DefaultValue("2") int consumers,
                             @Min(1) @DefaultValue("100") int batchSize) {
}
