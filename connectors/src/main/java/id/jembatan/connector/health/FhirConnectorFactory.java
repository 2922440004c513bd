package id.jembatan.connector.health;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.ConnectorFactory;
import org.springframework.stereotype.Component;

import java.util.Optional;

/** {@code fhir}: Patient resources written to an HL7 FHIR R4 server ({@link HealthConnector}). */
@Component
public class FhirConnectorFactory implements ConnectorFactory<FhirSettings> {

    public static final String TYPE = "fhir";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<FhirSettings> settingsType() {
        return FhirSettings.class;
    }

    @Override
    public Optional<AgencyConnector> create(String agencyId, FhirSettings settings) {
        return Optional.of(new HealthConnector(settings.url(), settings.delivery().timeout(),
                settings.conditionalCreate(), settings.batch()));
    }
}
