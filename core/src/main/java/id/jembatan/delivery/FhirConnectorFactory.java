package id.jembatan.delivery;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.health.HealthConnector;
import id.jembatan.settings.JembatanProperties;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/** {@code fhir}: Patient resources written to an HL7 FHIR R4 server ({@link HealthConnector}). */
@Component
public class FhirConnectorFactory implements ConnectorFactory {

    @Override
    public String type() {
        return "fhir";
    }

    @Override
    public List<String> problems(String agencyId, JembatanProperties.Agency settings) {
        return ConnectorFactory.httpUrl(agencyId, settings.getUrl());
    }

    @Override
    public Optional<AgencyConnector> create(Subscription s) {
        return Optional.of(new HealthConnector(s.settings().getUrl(), s.settings().getDelivery().getTimeout(),
                s.settings().isConditionalCreate()));
    }
}
