package id.jembatan.connector.licensing;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The settings of a {@code csv-drop} agency (the licensing office), from its block {@code jembatan.agencies.<id>}.
 *
 * @param directory the folder the drop files are written to (in production an SFTP server's folder)
 * @param delivery  {@code delivery.batch-size} and {@code delivery.batch-interval}
 */
public record CsvDropSettings(@NotNull(message = "is required for this connector type") Path directory,
                              @Valid @DefaultValue Delivery delivery) {

    /**
     * @param batchSize     rows per file at most
     * @param batchInterval how often waiting events are written out
     */
    public record Delivery(@Min(1) @DefaultValue("500") int batchSize,
                           @NotNull @DefaultValue("2s") Duration batchInterval) {
    }
}
