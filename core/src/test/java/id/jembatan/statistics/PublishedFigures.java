package id.jembatan.statistics;

import java.util.ArrayList;
import java.util.List;

/**
 * What an attacker can solve from published figures, by linear algebra and independent of how the suppression was
 * chosen: each figure is a sum of unknown finest cells (a 0/1 vector over them); a withheld figure can be worked out
 * exactly when its vector lies in the span of the published ones. Gaussian elimination modulo a large prime.
 */
final class PublishedFigures {

    private static final long PRIME = 1_000_000_007L;

    private final int unknowns;
    private final List<long[]> basis = new ArrayList<>();
    private final List<Integer> pivots = new ArrayList<>();

    PublishedFigures(int unknowns) {
        this.unknowns = unknowns;
    }

    /** Adds a published figure, the sum of the finest cells marked in {@code cells}. */
    void publish(boolean[] cells) {
        long[] reduced = reduce(cells);
        for (int i = 0; i < unknowns; i++) {
            if (reduced[i] != 0) {
                long inverse = inverse(reduced[i]);
                for (int j = 0; j < unknowns; j++) {
                    reduced[j] = reduced[j] * inverse % PRIME;
                }
                basis.add(reduced);
                pivots.add(i);
                return;
            }
        }
    }

    /** Whether the sum of the finest cells marked in {@code cells} follows from the published figures. */
    boolean determines(boolean[] cells) {
        long[] reduced = reduce(cells);
        for (long value : reduced) {
            if (value != 0) {
                return false;
            }
        }
        return true;
    }

    private long[] reduce(boolean[] cells) {
        long[] vector = new long[unknowns];
        for (int i = 0; i < unknowns; i++) {
            vector[i] = cells[i] ? 1 : 0;
        }
        for (int b = 0; b < basis.size(); b++) {
            int pivot = pivots.get(b);
            long factor = vector[pivot];
            if (factor != 0) {
                long[] row = basis.get(b);
                for (int j = 0; j < unknowns; j++) {
                    vector[j] = Math.floorMod(vector[j] - factor * row[j] % PRIME, PRIME);
                }
            }
        }
        return vector;
    }

    private static long inverse(long value) {
        long result = 1;
        long base = value;
        for (long e = PRIME - 2; e > 0; e >>= 1) {
            if ((e & 1) == 1) {
                result = result * base % PRIME;
            }
            base = base * base % PRIME;
        }
        return result;
    }
}
