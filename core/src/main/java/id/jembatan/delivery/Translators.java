package id.jembatan.delivery;

import id.jembatan.connector.Translator;
import id.jembatan.connector.webhook.CanonicalJsonTranslator;
import id.jembatan.settings.JembatanProperties;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@link Translator} bean by its name, so that an agency gets the translator named after it, or else the one
 * of its configured {@code format} ({@value CanonicalJsonTranslator#NAME} when it names none). Two translators with
 * one name stop the start.
 */
@Component
public class Translators {

    private final Map<String, Translator> byName = new LinkedHashMap<>();

    public Translators(List<Translator> translators) {
        for (Translator t : translators) {
            Translator other = byName.putIfAbsent(t.name(), t);
            if (other != null) {
                throw new IllegalStateException("two translators are named '" + t.name() + "': "
                        + other.getClass().getName() + " and " + t.getClass().getName());
            }
        }
    }

    /** The translator named after {@code agencyId}, else the one named by its {@code format}. */
    public Optional<Translator> forAgency(String agencyId, JembatanProperties.Agency settings) {
        Translator own = byName.get(agencyId);
        if (own != null) {
            return Optional.of(own);
        }
        String format = settings.getFormat();
        return Optional.ofNullable(byName.get(format != null ? format : CanonicalJsonTranslator.NAME));
    }

    /** The start-up problem of an agency whose translator does not exist, if any. */
    public List<String> problems(String agencyId, JembatanProperties.Agency settings) {
        if (forAgency(agencyId, settings).isPresent()) {
            return List.of();
        }
        return List.of("jembatan.agencies." + agencyId + ".format: no translator named '" + settings.getFormat()
                + "' or '" + agencyId + "' (translators: " + byName.keySet() + ")");
    }
}
