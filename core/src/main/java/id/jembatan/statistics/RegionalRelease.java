package id.jembatan.statistics;

import id.jembatan.schema.rules.RegionCodes;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The figures of one release (counts of one kind by region and by a category such as the month), protected as a
 * whole: a national table (a row per province) and a table per province (a row per regency or city), the rows and
 * columns fixed by the official region list and the categories, whatever the data. A province's row in the national
 * table is the margin row of its own table: that table is protected after the national one, with the suppressions of
 * that row carried down and its published figures left alone, so no figure is published in one table and withheld in
 * another, and the tables together give no withheld figure away.
 */
public final class RegionalRelease {

    private final ProtectedTable national;
    private final Map<String, ProtectedTable> provinces;

    private RegionalRelease(ProtectedTable national, Map<String, ProtectedTable> provinces) {
        this.national = national;
        this.provinces = provinces;
    }

    /**
     * Protects counts by regency (4 digits) and column.
     *
     * @param columns    the category keys, in order
     * @param byRegency  each regency's counts, one per column; a regency that is missing counts zero everywhere, a code
     *                   that is no regency of the list is left out
     * @param regions    the region list whose provinces and regencies make the rows
     * @param protection the suppression rule
     */
    public static RegionalRelease protect(List<String> columns, Map<String, long[]> byRegency, RegionCodes regions,
                                          SmallCellProtection protection) {
        return protect(columns, byRegency, regions, protection, Set.of());
    }

    /**
     * As {@link #protect(List, Map, RegionCodes, SmallCellProtection)}, with the totals of some regions withheld
     * whatever their counts: for counts whose regions' totals another release publishes too (the population by sex
     * and by age band share each region's population), so that both withhold the same totals.
     *
     * @param withheldTotals the regions whose totals are withheld: {@code ""} for the country, province and regency
     *                       codes
     */
    public static RegionalRelease protect(List<String> columns, Map<String, long[]> byRegency, RegionCodes regions,
                                          SmallCellProtection protection, Set<String> withheldTotals) {
        List<String> provinceCodes = regions.children("");
        Map<String, long[][]> regencyCells = new LinkedHashMap<>();
        long[][] provinceCells = new long[provinceCodes.size()][columns.size()];
        for (int p = 0; p < provinceCodes.size(); p++) {
            List<String> regencies = regions.children(provinceCodes.get(p));
            long[][] cells = new long[regencies.size()][];
            for (int r = 0; r < regencies.size(); r++) {
                cells[r] = byRegency.getOrDefault(regencies.get(r), new long[columns.size()]).clone();
                if (cells[r].length != columns.size()) {
                    throw new IllegalArgumentException("regency " + regencies.get(r) + " has " + cells[r].length
                            + " counts for " + columns.size() + " columns");
                }
                for (int c = 0; c < columns.size(); c++) {
                    provinceCells[p][c] += cells[r][c];
                }
            }
            regencyCells.put(provinceCodes.get(p), cells);
        }
        CountTable nationalCounts = CountTable.of(provinceCells);
        boolean[][] nationalForced = new boolean[provinceCodes.size() + 1][columns.size() + 1];
        for (int p = 0; p < provinceCodes.size(); p++) {
            nationalForced[p][columns.size()] = withheldTotals.contains(provinceCodes.get(p));
        }
        nationalForced[provinceCodes.size()][columns.size()] = withheldTotals.contains("");
        boolean[][] nationalSuppressed = protection.protect(nationalCounts, nationalForced, false);
        Map<String, ProtectedTable> provinceTables = new LinkedHashMap<>();
        for (int p = 0; p < provinceCodes.size(); p++) {
            String province = provinceCodes.get(p);
            CountTable counts = CountTable.of(regencyCells.get(province));
            List<String> regencies = regions.children(province);
            boolean[][] forced = new boolean[counts.rows() + 1][counts.columns() + 1];
            forced[counts.rows()] = nationalSuppressed[p].clone();
            for (int r = 0; r < regencies.size(); r++) {
                forced[r][columns.size()] = withheldTotals.contains(regencies.get(r));
            }
            provinceTables.put(province, new ProtectedTable(regencies, columns, counts,
                    protection.protect(counts, forced, true)));
        }
        return new RegionalRelease(new ProtectedTable(provinceCodes, columns, nationalCounts, nationalSuppressed),
                Map.copyOf(provinceTables));
    }

    /** The category keys. */
    public List<String> columns() {
        return national.columnKeys();
    }

    /**
     * A region's figures by category, then its total: the whole country for the empty string, a province (2 digits),
     * a regency or city (4 digits).
     */
    public List<Figure> line(String region) {
        if (region.isEmpty()) {
            return national.row(null);
        }
        if (region.length() == 2) {
            return national.row(region);
        }
        return provinces.get(region.substring(0, 2)).row(region);
    }

    /** The regions whose totals this release withholds: {@code ""} for the country, province and regency codes. */
    public Set<String> withheldTotals() {
        Set<String> withheld = new HashSet<>();
        int total = columns().size();
        if (national.figure(national.rowKeys().size(), total).suppressed()) {
            withheld.add("");
        }
        for (int p = 0; p < national.rowKeys().size(); p++) {
            if (national.figure(p, total).suppressed()) {
                withheld.add(national.rowKeys().get(p));
            }
            ProtectedTable province = provinces.get(national.rowKeys().get(p));
            for (int r = 0; r < province.rowKeys().size(); r++) {
                if (province.figure(r, total).suppressed()) {
                    withheld.add(province.rowKeys().get(r));
                }
            }
        }
        return withheld;
    }

    /** The codes of a region's parts: the provinces for the empty string, the regencies of a province. */
    public List<String> parts(String region) {
        return region.isEmpty() ? national.rowKeys() : provinces.get(region).rowKeys();
    }

    /** The national table (a row per province), for checks. */
    public ProtectedTable national() {
        return national;
    }

    /** A province's table (a row per regency or city), for checks. */
    public ProtectedTable province(String province) {
        return provinces.get(province);
    }
}
