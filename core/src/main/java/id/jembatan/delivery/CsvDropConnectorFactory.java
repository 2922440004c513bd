package id.jembatan.delivery;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.settings.JembatanProperties;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/** {@code csv-drop}: CSV files dropped in a folder, written in batches by {@code CsvDropRoute}, not one by one. */
@Component
public class CsvDropConnectorFactory implements ConnectorFactory {

    public static final String TYPE = "csv-drop";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> problems(String agencyId, JembatanProperties.Agency settings) {
        return ConnectorFactory.required(agencyId, "directory", settings.getDirectory());
    }

    @Override
    public Optional<AgencyConnector> create(Subscription subscription) {
        return Optional.empty();
    }
}
