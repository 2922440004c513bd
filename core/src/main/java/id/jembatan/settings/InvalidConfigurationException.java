package id.jembatan.settings;

import java.util.Collection;
import java.util.List;

/**
 * The bus's configuration cannot run: every problem found, each naming the key to correct
 * ({@code jembatan.agencies.tax.url is required ...}). Thrown at start-up, before anything is delivered; the
 * application reports the list as a short summary instead of a stack trace.
 */
public class InvalidConfigurationException extends IllegalStateException {

    private final List<String> problems;

    public InvalidConfigurationException(Collection<String> problems) {
        super(String.join("; ", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid configuration has at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Throws with these problems unless there are none. */
    public static void throwIfAny(Collection<String> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    /** Every problem, in the order found, each starting with or naming its key. */
    public List<String> problems() {
        return problems;
    }
}
