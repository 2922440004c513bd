package id.jembatan.connector.licensing;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.AgencyUnavailableException;
import id.jembatan.connector.BatchResult;
import id.jembatan.schema.model.CitizenEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The licensing office's drop files ({@code csv-drop}): each batch the delivery route hands over is written as one
 * file, atomically ({@link CsvDropWriter}), before the route commits the batch. If the bus dies between the file and
 * the commit the events come again in a later file: each row carries its event id so the agency drops repeats. An
 * event that cannot be put into a row is refused alone; one that does not concern licences (a marriage) is skipped.
 * A folder that cannot be written makes the agency unavailable: the batch is taken again after a back-off. Batches
 * are gathered for {@code delivery.batch-interval} by one consumer, so the files follow the queue's order.
 */
public final class CsvDropConnector implements AgencyConnector {

    private static final Logger log = LoggerFactory.getLogger(CsvDropConnector.class);

    private final String agencyId;
    private final CsvDropSettings settings;
    private final LicensingTranslator translator = new LicensingTranslator();
    private final CsvDropWriter writer;

    public CsvDropConnector(String agencyId, CsvDropSettings settings, Clock clock) {
        this.agencyId = agencyId;
        this.settings = settings;
        this.writer = new CsvDropWriter(settings.directory(), "jembatan-" + agencyId, clock);
    }

    @Override
    public void deliver(CitizenEvent event) {
        RuntimeException refused = deliverAll(List.of(event)).refusal(0);
        if (refused != null) {
            throw refused;
        }
    }

    @Override
    public BatchResult deliverAll(List<CitizenEvent> events) {
        BatchResult result = new BatchResult(events.size());
        List<LicenceUpdate> rows = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            try {
                Optional<LicenceUpdate> row = translator.translate(events.get(i));
                if (row.isPresent()) {
                    rows.add(row.get());
                } else {
                    result.skip(i);
                }
            } catch (RuntimeException e) {
                result.refuse(i, e);
            }
        }
        if (!rows.isEmpty()) {
            try {
                Path file = writer.write(rows);
                log.info("Dropped {} events for {} in {}", rows.size(), agencyId, file.getFileName());
            } catch (IOException e) {
                throw new AgencyUnavailableException("the drop folder of " + agencyId + " could not be written: "
                        + e.getClass().getSimpleName(), e);
            }
        }
        return result;
    }

    @Override
    public Optional<Batching> batching() {
        return Optional.of(new Batching(settings.delivery().batchSize(), settings.delivery().batchInterval(), 1));
    }
}
