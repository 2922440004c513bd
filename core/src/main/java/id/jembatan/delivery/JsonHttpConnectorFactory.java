package id.jembatan.delivery;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.webhook.JsonHttpConnector;
import id.jembatan.connector.webhook.WebhookSignature;
import id.jembatan.settings.JembatanProperties;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code json-http}: webhooks. Each event, in the agency's format ({@code canonical-json} unless a translator is
 * named after the agency or its {@code format}), POSTed to its {@code url} and signed with its
 * {@code signing-secret} ({@link JsonHttpConnector}).
 */
@Component
public class JsonHttpConnectorFactory implements ConnectorFactory {

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
    public List<String> problems(String agencyId, JembatanProperties.Agency settings) {
        List<String> problems = new ArrayList<>(ConnectorFactory.httpUrl(agencyId, settings.getUrl()));
        String secret = settings.getSigningSecret();
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < WebhookSignature.MIN_SECRET_BYTES) {
            problems.add("jembatan.agencies." + agencyId + ".signing-secret needs at least "
                    + WebhookSignature.MIN_SECRET_BYTES
                    + " bytes (in production from the environment, never in a committed file)");
        }
        problems.addAll(translators.problems(agencyId, settings));
        return problems;
    }

    @Override
    public Optional<AgencyConnector> create(Subscription s) {
        JembatanProperties.Agency settings = s.settings();
        return Optional.of(new JsonHttpConnector(s.agencyId(), URI.create(settings.getUrl()),
                settings.getDelivery().getTimeout(), http,
                translators.forAgency(s.agencyId(), settings).orElseThrow(),
                new WebhookSignature(settings.getSigningSecret()), clock));
    }
}
