package id.jembatan.delivery;

import id.jembatan.connector.Translator;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@link Translator} bean by its name, so that an agency gets the translator named after it, or else the one
 * of its configured format. Two translators with one name stop the start.
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

    /**
     * The translator named after {@code agencyId}, else the one named {@code format}, else the one named
     * {@code defaultFormat}.
     */
    public Optional<Translator> forAgency(String agencyId, String format, String defaultFormat) {
        Translator own = byName.get(agencyId);
        if (own != null) {
            return Optional.of(own);
        }
        return Optional.ofNullable(byName.get(format != null ? format : defaultFormat));
    }

    public java.util.Set<String> names() {
        return java.util.Set.copyOf(byName.keySet());
    }
}
