package id.jembatan.delivery;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.CitizenDirectory;
import id.jembatan.connector.tax.TaxConnector;
import id.jembatan.settings.JembatanProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Optional;

/** {@code xml-http}: taxpayer.xsd documents POSTed to the tax office ({@link TaxConnector}). */
@Component
public class XmlHttpConnectorFactory implements ConnectorFactory {

    /** Resolved when a connector is made: {@link #problems} is asked before the database is set up. */
    private final ObjectProvider<CitizenDirectory> directory;
    private final HttpClient http;

    public XmlHttpConnectorFactory(ObjectProvider<CitizenDirectory> directory, HttpClient http) {
        this.directory = directory;
        this.http = http;
    }

    @Override
    public String type() {
        return "xml-http";
    }

    @Override
    public List<String> problems(String agencyId, JembatanProperties.Agency settings) {
        return ConnectorFactory.httpUrl(agencyId, settings.getUrl());
    }

    @Override
    public Optional<AgencyConnector> create(Subscription s) {
        return Optional.of(new TaxConnector(URI.create(s.settings().getUrl()), directory.getObject(),
                s.settings().getDelivery().getTimeout(), http));
    }
}
