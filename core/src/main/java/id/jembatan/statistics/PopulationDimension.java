package id.jembatan.statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the living population of a region is counted by: sex, or age in five-year bands up to 75 and over. */
public enum PopulationDimension {
    SEX("sex", List.of("MALE", "FEMALE")),
    AGE_BAND("ageBand", ageBands());

    /** Width of an age band in years. */
    public static final int BAND_YEARS = 5;
    /** Bands of {@link #BAND_YEARS} below the open last one (75 and over). */
    public static final int CLOSED_BANDS = 15;

    private final String parameter;
    private final List<String> categories;

    PopulationDimension(String parameter, List<String> categories) {
        this.parameter = parameter;
        this.categories = categories;
    }

    /** The value of {@code groupBy}. */
    public String parameter() {
        return parameter;
    }

    /** The column keys: {@code MALE}, {@code FEMALE}; {@code 0-4}, {@code 5-9}, ..., {@code 75+}. */
    public List<String> categories() {
        return categories;
    }

    public static Optional<PopulationDimension> ofParameter(String value) {
        for (PopulationDimension dimension : values()) {
            if (dimension.parameter.equals(value)) {
                return Optional.of(dimension);
            }
        }
        return Optional.empty();
    }

    private static List<String> ageBands() {
        List<String> bands = new ArrayList<>();
        for (int band = 0; band < CLOSED_BANDS; band++) {
            bands.add(band * BAND_YEARS + "-" + (band * BAND_YEARS + BAND_YEARS - 1));
        }
        bands.add(CLOSED_BANDS * BAND_YEARS + "+");
        return List.copyOf(bands);
    }
}
