package id.jembatan.delivery;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.CitizenDirectory;
import id.jembatan.connector.health.HealthConnector;
import id.jembatan.connector.tax.TaxConnector;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connector of every agency that receives events one by one ({@code xml-http}, {@code fhir}), built once from
 * its subscription. File-drop agencies ({@code csv-drop}) are delivered in batches by their own route.
 */
@Component
public class ConnectorRegistry {

    private final Map<String, AgencyConnector> connectors = new LinkedHashMap<>();

    public ConnectorRegistry(Subscriptions subscriptions, CitizenDirectory directory, HttpClient http) {
        for (Subscription s : subscriptions.all()) {
            var timeout = s.settings().getDelivery().getTimeout();
            switch (s.connector()) {
                case "xml-http" -> connectors.put(s.agencyId(),
                        new TaxConnector(URI.create(s.settings().getUrl()), directory, timeout, http));
                case "fhir" -> connectors.put(s.agencyId(), new HealthConnector(s.settings().getUrl(), timeout));
                default -> {
                    // delivered in batches, see CsvDropRoute
                }
            }
        }
    }

    /** Agencies with a one-by-one connector. */
    public Map<String, AgencyConnector> all() {
        return Map.copyOf(connectors);
    }
}
