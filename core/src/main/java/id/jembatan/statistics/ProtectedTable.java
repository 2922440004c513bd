package id.jembatan.statistics;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of counts after small-cell suppression: its row keys (regions), column keys (months, sexes, age bands), the
 * counts with margins, and which figures are withheld.
 */
public record ProtectedTable(List<String> rowKeys, List<String> columnKeys, CountTable counts, boolean[][] suppressed) {

    public ProtectedTable {
        rowKeys = List.copyOf(rowKeys);
        columnKeys = List.copyOf(columnKeys);
    }

    /** A figure; {@code row == rowKeys().size()} is the margin row, {@code column == columnKeys().size()} the totals. */
    public Figure figure(int row, int column) {
        return new Figure(counts.figure(row, column), suppressed[row][column]);
    }

    /** The row of {@code rowKey}, or of the margin (column totals) for null: one figure per column, then its total. */
    public List<Figure> row(String rowKey) {
        int row = rowKey == null ? rowKeys.size() : rowKeys.indexOf(rowKey);
        if (row < 0) {
            throw new IllegalArgumentException("no row " + rowKey);
        }
        List<Figure> figures = new ArrayList<>(columnKeys.size() + 1);
        for (int column = 0; column <= columnKeys.size(); column++) {
            figures.add(figure(row, column));
        }
        return figures;
    }
}
