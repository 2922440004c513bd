package id.jembatan.statistics;

import java.util.List;

/** One published figure: a count, or the mark that it is withheld (then its count is not to be shown). */
public record Figure(long count, boolean suppressed) {

    /**
     * The sum of figures, published only when every one of them is: a sum that took in a withheld figure would give
     * that figure away.
     */
    public static Figure sum(List<Figure> figures) {
        long total = 0;
        for (Figure figure : figures) {
            if (figure.suppressed()) {
                return new Figure(0, true);
            }
            total += figure.count();
        }
        return new Figure(total, false);
    }

    /** The count when published, null when withheld. */
    public Long published() {
        return suppressed ? null : count;
    }
}
