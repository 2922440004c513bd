package id.jembatan.statistics;

import java.util.Arrays;

/**
 * A two-way table of counts with its margins: {@code rows x columns} cells, each row's total in an extra last column,
 * each column's total in an extra last row, and the grand total where they meet. The margins are computed, never
 * given, so that they always add up.
 */
public final class CountTable {

    private final long[][] extended;

    private CountTable(long[][] extended) {
        this.extended = extended;
    }

    /** The table of these cells (every row as long as the first) with its margins. */
    public static CountTable of(long[][] cells) {
        int rows = cells.length;
        int columns = rows == 0 ? 0 : cells[0].length;
        long[][] extended = new long[rows + 1][columns + 1];
        for (int i = 0; i < rows; i++) {
            if (cells[i].length != columns) {
                throw new IllegalArgumentException("row " + i + " has " + cells[i].length + " cells, not " + columns);
            }
            for (int j = 0; j < columns; j++) {
                long count = cells[i][j];
                if (count < 0) {
                    throw new IllegalArgumentException("a count cannot be negative: " + count);
                }
                extended[i][j] = count;
                extended[i][columns] += count;
                extended[rows][j] += count;
                extended[rows][columns] += count;
            }
        }
        return new CountTable(extended);
    }

    /** Rows of cells, without the margin row. */
    public int rows() {
        return extended.length - 1;
    }

    /** Columns of cells, without the margin column. */
    public int columns() {
        return extended[0].length - 1;
    }

    /**
     * A figure of the table with its margins: {@code row == rows()} is the column totals' row, {@code column ==
     * columns()} the row totals' column.
     */
    public long figure(int row, int column) {
        return extended[row][column];
    }

    @Override
    public String toString() {
        return Arrays.deepToString(extended);
    }
}
