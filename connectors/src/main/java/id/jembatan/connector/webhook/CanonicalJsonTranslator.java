package id.jembatan.connector.webhook;

import id.jembatan.connector.Translator;
import id.jembatan.connector.Translators;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.CitizenEvent;

import java.nio.charset.StandardCharsets;

/**
 * The format {@code canonical-json}: the v1 canonical event JSON itself (the fields the agency may not receive are
 * absent). The
 * default format of {@code json-http} agencies.
 */
public final class CanonicalJsonTranslator implements Translator {

    public static final String NAME = Translators.DEFAULT_FORMAT;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String mediaType() {
        return "application/json";
    }

    @Override
    public byte[] toAgency(CitizenEvent event) {
        return CanonicalJson.write(event).getBytes(StandardCharsets.UTF_8);
    }
}
