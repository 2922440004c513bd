package id.jembatan.connector.licensing;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.ConnectorFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Optional;

/**
 * {@code csv-drop}: the licensing office's drop files ({@link LicensingCsv}, rows by {@link LicensingTranslator}) in a
 * folder, one file per batch ({@link CsvDropConnector}). Not a general CSV connector: the file format is
 * always the licensing office's. The name is older than that was clear and stays, being the channel the audit log
 * records for these deliveries.
 */
@Component
public class CsvDropConnectorFactory implements ConnectorFactory<CsvDropSettings> {

    public static final String TYPE = "csv-drop";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<CsvDropSettings> settingsType() {
        return CsvDropSettings.class;
    }

    @Override
    public Optional<AgencyConnector> create(String agencyId, CsvDropSettings settings) {
        return Optional.of(new CsvDropConnector(agencyId, settings, Clock.systemUTC()));
    }
}
