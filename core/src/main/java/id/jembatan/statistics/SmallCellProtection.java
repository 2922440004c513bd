package id.jembatan.statistics;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Small-cell suppression of one {@link CountTable} whose margins are published: every count from 1 to {@code k - 1}
 * is suppressed (primary), then more figures are suppressed (complementary) until none of the suppressed ones can be
 * worked out from the published figures.
 *
 * <p>Why that holds: the figures of a table with its margins are tied by one equation per row and per column. Seen as
 * a bipartite graph (a node per row and per column, margins included, an edge per suppressed figure), a suppressed
 * figure is determined by the published ones exactly when its edge is a bridge; on a cycle of suppressed figures one
 * can add 1 and take 1 alternately and every equation still holds, so no figure of the cycle is known. This class
 * adds figures until the graph has no bridge, each time along the cheapest path (the smallest counts, the least
 * information lost) that closes a cycle through a bridge. Zero is published and never suppressed: it describes
 * nobody, and as every suppressed figure is then at least 1, the shift by 1 along a cycle keeps every count
 * non-negative, so bounds do not give a figure away either.
 */
public final class SmallCellProtection {

    private static final long BLOCKED = Long.MAX_VALUE;

    private final long minimumCount;

    /** @param minimumCount {@code k}: a count from 1 to {@code k - 1} is not published */
    public SmallCellProtection(long minimumCount) {
        if (minimumCount < 1) {
            throw new IllegalArgumentException("the minimum count must be at least 1: " + minimumCount);
        }
        this.minimumCount = minimumCount;
    }

    public long minimumCount() {
        return minimumCount;
    }

    /** Whether a count is published by itself (zero, or at least {@code k}). */
    public boolean safe(long count) {
        return count == 0 || count >= minimumCount;
    }

    /** The suppression pattern of a table on its own: {@code [rows + 1][columns + 1]}, margins included. */
    public boolean[][] protect(CountTable table) {
        return protect(table, new boolean[table.rows() + 1][table.columns() + 1], false);
    }

    /**
     * The suppression pattern of a table that is part of a larger release.
     *
     * @param forced            figures already suppressed elsewhere in the release that this table shows too (its
     *                          margin row, when it is a row of a table one level up)
     * @param marginRowIsShared the margin row is a row of the table one level up, already protected there: none of
     *                          its published figures may be suppressed here
     */
    public boolean[][] protect(CountTable table, boolean[][] forced, boolean marginRowIsShared) {
        int rowNodes = table.rows() + 1;
        int columnNodes = table.columns() + 1;
        boolean[][] suppressed = new boolean[rowNodes][columnNodes];
        for (int i = 0; i < rowNodes; i++) {
            for (int j = 0; j < columnNodes; j++) {
                suppressed[i][j] = forced[i][j] || !safe(table.figure(i, j));
            }
        }
        int[] bridge;
        while ((bridge = bridge(suppressed)) != null) {
            if (!closeCycle(table, suppressed, bridge[0], bridge[1], marginRowIsShared)
                    && !suppressEverything(table, suppressed, marginRowIsShared)) {
                // Nothing left that may be suppressed: withhold the whole table. Not expected for a table of at least
                // two rows and two columns whose shared margin row was protected one level up.
                for (boolean[] row : suppressed) {
                    Arrays.fill(row, true);
                }
                return suppressed;
            }
        }
        return suppressed;
    }

    /** A suppressed figure whose edge is a bridge, as {row, column}; null when there is none. */
    static int[] bridge(boolean[][] suppressed) {
        for (int i = 0; i < suppressed.length; i++) {
            for (int j = 0; j < suppressed[i].length; j++) {
                if (suppressed[i][j] && !connectedWithout(suppressed, i, j)) {
                    return new int[] {i, j};
                }
            }
        }
        return null;
    }

    /** Whether row {@code row} reaches column {@code column} through suppressed figures other than their own. */
    private static boolean connectedWithout(boolean[][] suppressed, int row, int column) {
        int rows = suppressed.length;
        int columns = suppressed[0].length;
        boolean[] seen = new boolean[rows + columns];
        Deque<Integer> queue = new ArrayDeque<>();
        queue.add(row);
        seen[row] = true;
        while (!queue.isEmpty()) {
            int node = queue.poll();
            if (node < rows) {
                for (int j = 0; j < columns; j++) {
                    if (suppressed[node][j] && !(node == row && j == column) && !seen[rows + j]) {
                        if (j == column) {
                            return true;
                        }
                        seen[rows + j] = true;
                        queue.add(rows + j);
                    }
                }
            } else {
                int j = node - rows;
                for (int i = 0; i < rows; i++) {
                    if (suppressed[i][j] && !(i == row && j == column) && !seen[i]) {
                        seen[i] = true;
                        queue.add(i);
                    }
                }
            }
        }
        return false;
    }

    /**
     * Suppresses the figures of the cheapest path from the bridge's row to its column (Dijkstra on the complete
     * bipartite graph: a suppressed figure costs nothing, a published one its count, zero and a shared margin figure
     * cannot be taken), closing a cycle through the bridge. False when no such path exists.
     */
    private boolean closeCycle(CountTable table, boolean[][] suppressed, int row, int column,
                               boolean marginRowIsShared) {
        int rows = suppressed.length;
        int nodes = rows + suppressed[0].length;
        long[] cost = new long[nodes];
        int[] previous = new int[nodes];
        boolean[] done = new boolean[nodes];
        Arrays.fill(cost, BLOCKED);
        Arrays.fill(previous, -1);
        cost[row] = 0;
        int target = rows + column;
        for (int step = 0; step < nodes; step++) {
            int node = -1;
            for (int n = 0; n < nodes; n++) {
                if (!done[n] && cost[n] != BLOCKED && (node < 0 || cost[n] < cost[node])) {
                    node = n;
                }
            }
            if (node < 0 || node == target) {
                break;
            }
            done[node] = true;
            for (int other = node < rows ? rows : 0; other < (node < rows ? nodes : rows); other++) {
                int i = node < rows ? node : other;
                int j = node < rows ? other - rows : node - rows;
                long weight = weight(table, suppressed, i, j, row, column, marginRowIsShared);
                if (weight != BLOCKED && !done[other] && cost[node] + weight < cost[other]) {
                    cost[other] = cost[node] + weight;
                    previous[other] = node;
                }
            }
        }
        if (cost[target] == BLOCKED) {
            return false;
        }
        for (int node = target; previous[node] >= 0; node = previous[node]) {
            int from = previous[node];
            int i = Math.min(node, from);
            int j = Math.max(node, from) - rows;
            suppressed[i][j] = true;
        }
        return true;
    }

    private static long weight(CountTable table, boolean[][] suppressed, int i, int j, int bridgeRow,
                               int bridgeColumn, boolean marginRowIsShared) {
        if (i == bridgeRow && j == bridgeColumn) {
            return BLOCKED;
        }
        if (suppressed[i][j]) {
            return 0;
        }
        long count = table.figure(i, j);
        boolean shared = marginRowIsShared && i == suppressed.length - 1;
        return count == 0 || shared ? BLOCKED : count;
    }

    /** The last resort: suppress every figure that may be; false when there was none left. */
    private static boolean suppressEverything(CountTable table, boolean[][] suppressed, boolean marginRowIsShared) {
        boolean changed = false;
        int lastRow = marginRowIsShared ? suppressed.length - 1 : suppressed.length;
        for (int i = 0; i < lastRow; i++) {
            for (int j = 0; j < suppressed[i].length; j++) {
                if (!suppressed[i][j] && table.figure(i, j) != 0) {
                    suppressed[i][j] = true;
                    changed = true;
                }
            }
        }
        return changed;
    }
}
