package id.jembatan.connector;

import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@link Translator} bean by its name, so that an agency gets the translator named after it, or else the one
 * of its configured {@code format} ({@value #DEFAULT_FORMAT} when it names none). Two translators with one name stop
 * the start.
 */
@Component
public class Translators {

    /** The format of an agency that names none and has no translator of its own: the canonical event JSON. */
    public static final String DEFAULT_FORMAT = "canonical-json";

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

    /** The translator named after {@code agencyId}, else the one named by its {@code format} (may be null). */
    public Optional<Translator> forAgency(String agencyId, String format) {
        Translator own = byName.get(agencyId);
        if (own != null) {
            return Optional.of(own);
        }
        return Optional.ofNullable(byName.get(format != null ? format : DEFAULT_FORMAT));
    }

    /** The start-up problem of an agency whose translator does not exist, if any. */
    public List<String> problems(String agencyId, String format) {
        if (forAgency(agencyId, format).isPresent()) {
            return List.of();
        }
        return List.of("jembatan.agencies." + agencyId + ".format: no translator named '" + format
                + "' or '" + agencyId + "' (translators: " + byName.keySet() + ")");
    }
}
