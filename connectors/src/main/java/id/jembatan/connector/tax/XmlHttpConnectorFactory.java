package id.jembatan.connector.tax;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.CitizenDirectory;
import id.jembatan.connector.ConnectorFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.Optional;

/**
 * {@code xml-http}: the tax office's protocol, taxpayer.xsd documents POSTed over HTTP ({@link TaxConnector}). Not a
 * general XML connector: the documents are always the tax office's ({@link TaxTranslator}, with numbers of
 * dependants from the master index). The name is older than that was clear and stays, being the channel the audit
 * log records for these deliveries.
 */
@Component
public class XmlHttpConnectorFactory implements ConnectorFactory<XmlHttpSettings> {

    public static final String TYPE = "xml-http";

    /** Resolved when a connector is made: the settings are checked before the database is set up. */
    private final ObjectProvider<CitizenDirectory> directory;
    private final HttpClient http;

    public XmlHttpConnectorFactory(ObjectProvider<CitizenDirectory> directory, HttpClient http) {
        this.directory = directory;
        this.http = http;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<XmlHttpSettings> settingsType() {
        return XmlHttpSettings.class;
    }

    @Override
    public Optional<AgencyConnector> create(String agencyId, XmlHttpSettings settings) {
        return Optional.of(new TaxConnector(URI.create(settings.url()), directory.getObject(),
                settings.delivery().timeout(), http, settings.batch()));
    }
}
