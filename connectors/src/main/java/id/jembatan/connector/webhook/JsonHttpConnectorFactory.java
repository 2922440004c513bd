package id.jembatan.connector.webhook;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.ConnectorFactory;
import id.jembatan.connector.Translators;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code json-http}: webhooks. Each event, in the agency's format ({@code canonical-json} unless a translator is
 * named after the agency or its {@code format}), POSTed to its {@code url} and signed with its
 * {@code signing-secret} ({@link JsonHttpConnector}). Generic: any agency that takes events over HTTP, in any format
 * a translator writes.
 */
@Component
public class JsonHttpConnectorFactory implements ConnectorFactory<JsonHttpSettings> {

    public static final String TYPE = "json-http";

    private final Translators translators;
    private final HttpClient http;
    private final Clock clock;

    public JsonHttpConnectorFactory(Translators translators, HttpClient http, Clock clock) {
        this.translators = translators;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<JsonHttpSettings> settingsType() {
        return JsonHttpSettings.class;
    }

    @Override
    public List<String> problems(String agencyId, JsonHttpSettings settings) {
        List<String> problems = new ArrayList<>(translators.problems(agencyId, settings.format()));
        if (settings.batch()) {
            translators.forAgency(agencyId, settings.format())
                    .filter(translator -> !JsonHttpConnector.isJson(translator.mediaType()))
                    .ifPresent(translator -> problems.add("jembatan.agencies." + agencyId + ".batch: a batch is a JSON"
                            + " array of the events, but the format " + translator.name() + " writes "
                            + translator.mediaType()));
        }
        return problems;
    }

    @Override
    public Optional<AgencyConnector> create(String agencyId, JsonHttpSettings settings) {
        return Optional.of(new JsonHttpConnector(agencyId, URI.create(settings.url()), settings.delivery().timeout(),
                http, translators.forAgency(agencyId, settings.format()).orElseThrow(),
                new WebhookSignature(settings.signingSecret()), clock, settings.batch()));
    }
}
