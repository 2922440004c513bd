package id.jembatan.statistics;

import id.jembatan.schema.rules.RegionCodes;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Small-cell suppression: a known answer worked out by hand, and the property that matters, checked on random data by
 * linear algebra that knows nothing of how the suppression was chosen: from the published figures of a release
 * nobody can work out a withheld one.
 */
class SmallCellProtectionTest {

    private static final int K = 10;

    /** A small region list: three provinces of two to four regencies (real codes of Aceh, Sumatera Utara, DKI). */
    private static final RegionCodes REGIONS = new RegionCodes(new ByteArrayInputStream(("""
            code,name,level
            11,Aceh,1
            1101,Kabupaten Simeulue,2
            1102,Kabupaten Aceh Singkil,2
            12,Sumatera Utara,1
            1201,Kabupaten Tapanuli Tengah,2
            1202,Kabupaten Tapanuli Utara,2
            1203,Kabupaten Tapanuli Selatan,2
            31,DKI Jakarta,1
            3171,Kota Administrasi Jakarta Pusat,2
            3172,Kota Administrasi Jakarta Utara,2
            3173,Kota Administrasi Jakarta Barat,2
            3174,Kota Administrasi Jakarta Selatan,2
            """).getBytes(StandardCharsets.UTF_8)));

    private final SmallCellProtection protection = new SmallCellProtection(K);

    /**
     * Births of one province by regency and quarter, worked by hand. Jakarta Pusat had 3 in Q2 (below 10): withheld.
     * Alone it could be worked out from its row total (40) or the Q2 total, so the cheapest cycle through it is
     * withheld too: Jakarta Pusat's Q1 (12), and Jakarta Utara's Q1 (15) and Q2 (20). Everything else is published,
     * zeros included.
     */
    @Test
    void knownAnswer() {
        CountTable table = CountTable.of(new long[][] {
                {12, 3, 25, 0},
                {15, 20, 30, 40},
                {50, 60, 70, 80}});

        boolean[][] suppressed = protection.protect(table);

        assertThat(table.figure(3, 4)).isEqualTo(405);
        assertThat(suppressed).isDeepEqualTo(new boolean[][] {
                {true, true, false, false, false},
                {true, true, false, false, false},
                {false, false, false, false, false},
                {false, false, false, false, false}});
    }

    /**
     * A release whose only small count is a province's: Aceh had 4 births in the second column. Result: the national
     * table withholds it with a cycle of complements, and Aceh's own table withholds the same figures in its margin
     * row and, below them, enough regency figures that the margin cannot be rebuilt from them.
     */
    @Test
    void aSuppressionInTheNationalTableIsCarriedIntoTheProvincesTable() {
        Map<String, long[]> counts = new HashMap<>();
        counts.put("1101", new long[] {20, 4, 30});
        counts.put("1102", new long[] {25, 0, 35});
        counts.put("1201", new long[] {40, 50, 60});
        counts.put("3171", new long[] {70, 80, 90});

        RegionalRelease release = RegionalRelease.protect(List.of("a", "b", "c"), counts, REGIONS, protection);

        assertThat(release.line("11").get(1)).isEqualTo(new Figure(4, true));
        assertThat(release.line("1101").get(1)).isEqualTo(new Figure(4, true));
        assertThat(release.line("1102").get(1)).isEqualTo(new Figure(0, false));
        assertThat(release.line("").get(3)).isEqualTo(new Figure(4 + 20 + 25 + 40 + 50 + 60 + 30 + 35 + 70 + 80 + 90,
                false));
        assertNothingWithheldCanBeWorkedOut(release, 3, "known data");
    }

    /** Random tables of 2 to 6 rows and columns, many of their counts small: no withheld figure can be worked out. */
    @RepeatedTest(300)
    void noWithheldFigureOfATableCanBeWorkedOut(RepetitionInfo repetition) {
        long seed = 7919L * repetition.getCurrentRepetition();
        Random random = new Random(seed);
        long[][] cells = new long[2 + random.nextInt(5)][2 + random.nextInt(5)];
        for (long[] row : cells) {
            for (int j = 0; j < row.length; j++) {
                row[j] = randomCount(random);
            }
        }
        CountTable table = CountTable.of(cells);

        boolean[][] suppressed = protection.protect(table);

        int rows = table.rows();
        int columns = table.columns();
        PublishedFigures published = new PublishedFigures(rows * columns);
        List<boolean[]> withheld = new ArrayList<>();
        for (int i = 0; i <= rows; i++) {
            for (int j = 0; j <= columns; j++) {
                boolean[] vector = new boolean[rows * columns];
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < columns; c++) {
                        vector[r * columns + c] = (i == rows || i == r) && (j == columns || j == c);
                    }
                }
                long count = table.figure(i, j);
                if (count > 0 && count < K) {
                    assertThat(suppressed[i][j]).as("seed %d: small count at %d,%d", seed, i, j).isTrue();
                }
                if (suppressed[i][j]) {
                    assertThat(count).as("seed %d: a zero is never withheld", seed).isPositive();
                    withheld.add(vector);
                } else {
                    published.publish(vector);
                }
            }
        }
        for (boolean[] figure : withheld) {
            assertThat(published.determines(figure)).as("seed %d: a withheld figure follows from %s", seed, table)
                    .isFalse();
        }
    }

    /**
     * Random releases over three provinces and seven regencies, the national table and every province's table
     * published together: no withheld figure of any of them can be worked out from all the published ones.
     */
    @RepeatedTest(200)
    void noWithheldFigureOfAReleaseCanBeWorkedOut(RepetitionInfo repetition) {
        long seed = 104_729L * repetition.getCurrentRepetition();
        Random random = new Random(seed);
        int columns = 2 + random.nextInt(4);
        Map<String, long[]> counts = new HashMap<>();
        for (String province : REGIONS.children("")) {
            for (String regency : REGIONS.children(province)) {
                long[] row = new long[columns];
                for (int c = 0; c < columns; c++) {
                    row[c] = randomCount(random);
                }
                counts.put(regency, row);
            }
        }
        List<String> keys = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            keys.add("c" + c);
        }

        RegionalRelease release = RegionalRelease.protect(keys, counts, REGIONS, protection);

        assertNothingWithheldCanBeWorkedOut(release, columns, "seed " + seed + ", counts " + describe(counts));
    }

    /**
     * Jakarta Pusat has 3 men and 20 women (all aged 15-19), Jakarta Utara 15 women, Jakarta Barat 12 men. By sex, the
     * cheapest cycle that protects the 3 men runs through Jakarta Pusat's and Jakarta Barat's totals (23 and 12), and
     * Jakarta Barat's 12 men. Result: the release by age band withholds those two totals too (and, so that they
     * cannot be worked out there, the 15-19 band of both), though none of its own counts is small; were it to publish
     * Jakarta Pusat's 23, the 3 men would be 23 minus the 20 women. From both releases together nobody can work out a
     * withheld figure.
     */
    @Test
    void aTotalWithheldInOneDimensionIsWithheldInTheOther() {
        int bands = PopulationDimension.AGE_BAND.categories().size();
        Map<String, long[]> joint = new HashMap<>();
        joint.put("3171", population(bands, 3, 20));
        joint.put("3172", population(bands, 0, 15));
        joint.put("3173", population(bands, 12, 0));

        PopulationRelease release = PopulationRelease.protect(joint, REGIONS, protection);

        assertThat(release.bySex().line("3171")).containsExactly(new Figure(3, true), new Figure(20, false),
                new Figure(23, true));
        assertThat(release.bySex().line("3173")).containsExactly(new Figure(12, true), new Figure(0, false),
                new Figure(12, true));
        assertThat(release.byAgeBand().line("3171").get(3)).isEqualTo(new Figure(23, true));
        assertThat(release.byAgeBand().line("3171").get(bands)).isEqualTo(new Figure(23, true));
        assertThat(release.byAgeBand().line("3173").get(bands)).isEqualTo(new Figure(12, true));
        assertThat(release.byAgeBand().withheldTotals()).isEqualTo(release.bySex().withheldTotals())
                .containsExactlyInAnyOrder("3171", "3173");
        assertThat(release.bySex().line("31")).containsExactly(new Figure(15, false), new Figure(35, false),
                new Figure(50, false));
        assertNothingWithheldCanBeWorkedOut(release, joint, "known data");
    }

    /** A regency's joint counts: {@code men} and {@code women}, all in the band 15-19. */
    private static long[] population(int bands, long men, long women) {
        long[] counts = new long[2 * bands];
        counts[3] = men;
        counts[bands + 3] = women;
        return counts;
    }

    /**
     * Random populations of the nine regencies by sex and age band, published by sex and by age band (two releases
     * that share every region's total): no withheld figure of either can be worked out from all the published
     * figures of both.
     */
    @RepeatedTest(60)
    void noWithheldPopulationFigureCanBeWorkedOutFromBothDimensions(RepetitionInfo repetition) {
        long seed = 15_485_863L * repetition.getCurrentRepetition();
        Random random = new Random(seed);
        int sexes = PopulationDimension.SEX.categories().size();
        int bands = PopulationDimension.AGE_BAND.categories().size();
        List<String> regencies = regencies();
        Map<String, long[]> joint = new HashMap<>();
        for (String regency : regencies) {
            long[] counts = new long[sexes * bands];
            // Sparse: some regencies nearly empty (totals below k too), some of one sex only, few bands used.
            int density = random.nextInt(4);
            int onlySex = random.nextInt(3) - 1;
            for (int c = 0; c < counts.length; c++) {
                boolean sexAllowed = onlySex < 0 || c / bands == onlySex;
                counts[c] = sexAllowed && c % bands < 4 && random.nextInt(4) < density ? random.nextInt(25) : 0;
            }
            joint.put(regency, counts);
        }

        PopulationRelease release = PopulationRelease.protect(joint, REGIONS, protection);

        assertNothingWithheldCanBeWorkedOut(release, joint, "seed " + seed);
    }

    /**
     * Every figure of both population releases as a sum of the finest cells (regency x sex x age band), checked:
     * small counts withheld, and no withheld figure follows from the published ones of both releases.
     */
    private static void assertNothingWithheldCanBeWorkedOut(PopulationRelease release, Map<String, long[]> joint,
                                                            String what) {
        int sexes = PopulationDimension.SEX.categories().size();
        int bands = PopulationDimension.AGE_BAND.categories().size();
        List<String> regencies = regencies();
        int unknowns = regencies.size() * sexes * bands;
        PublishedFigures published = new PublishedFigures(unknowns);
        List<boolean[]> withheld = new ArrayList<>();
        List<String> regions = regions();
        for (PopulationDimension dimension : PopulationDimension.values()) {
            int width = dimension.categories().size();
            for (String region : regions) {
                List<Figure> line = release.of(dimension).line(region);
                for (int c = 0; c <= width; c++) {
                    boolean[] vector = new boolean[unknowns];
                    for (int r = 0; r < regencies.size(); r++) {
                        for (int sex = 0; sex < sexes; sex++) {
                            for (int band = 0; band < bands; band++) {
                                int category = dimension == PopulationDimension.SEX ? sex : band;
                                vector[(r * sexes + sex) * bands + band] = regencies.get(r).startsWith(region)
                                        && (c == width || c == category);
                            }
                        }
                    }
                    Figure figure = line.get(c);
                    if (figure.count() > 0 && figure.count() < K) {
                        assertThat(figure.suppressed()).as("%s: small count", what).isTrue();
                    }
                    if (figure.suppressed()) {
                        withheld.add(vector);
                    } else {
                        published.publish(vector);
                    }
                }
            }
        }
        for (boolean[] figure : withheld) {
            assertThat(published.determines(figure)).as("%s: a withheld figure can be worked out from %s", what,
                    describe(joint)).isFalse();
        }
    }

    /** The regencies of the test's region list, province by province. */
    private static List<String> regencies() {
        List<String> regencies = new ArrayList<>();
        for (String province : REGIONS.children("")) {
            regencies.addAll(REGIONS.children(province));
        }
        return regencies;
    }

    /** Every region a release answers for: the country, each province, each regency. */
    private static List<String> regions() {
        List<String> regions = new ArrayList<>();
        regions.add("");
        regions.addAll(REGIONS.children(""));
        regions.addAll(regencies());
        return regions;
    }

    /** Zero a third of the time, 1 to 9 a third, 10 to 60 otherwise: many small cells, some empty ones. */
    private static long randomCount(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> 0;
            case 1 -> 1 + random.nextInt(K - 1);
            default -> K + random.nextInt(51);
        };
    }

    private static String describe(Map<String, long[]> counts) {
        StringBuilder text = new StringBuilder();
        counts.forEach((k, v) -> text.append(k).append('=').append(java.util.Arrays.toString(v)).append(' '));
        return text.toString();
    }

    /** Every figure of every table of the release as a sum of the finest cells (regency x column), checked. */
    private static void assertNothingWithheldCanBeWorkedOut(RegionalRelease release, int columns, String what) {
        List<String> regencies = regencies();
        int unknowns = regencies.size() * columns;
        PublishedFigures published = new PublishedFigures(unknowns);
        List<boolean[]> withheld = new ArrayList<>();
        List<String> regions = regions();
        for (String region : regions) {
            List<Figure> line = release.line(region);
            for (int c = 0; c <= columns; c++) {
                boolean[] vector = new boolean[unknowns];
                for (int r = 0; r < regencies.size(); r++) {
                    for (int k = 0; k < columns; k++) {
                        vector[r * columns + k] = regencies.get(r).startsWith(region) && (c == columns || c == k);
                    }
                }
                Figure figure = line.get(c);
                if (figure.count() > 0 && figure.count() < K) {
                    assertThat(figure.suppressed()).as("%s: small count of %s column %d", what, region, c).isTrue();
                }
                if (figure.suppressed()) {
                    withheld.add(vector);
                } else {
                    published.publish(vector);
                }
            }
        }
        // The province tables' figures are the same sums as the lines above (a province's margin row is its national
        // row): check that each table agrees with the lines, so that nothing is published in one and withheld in the
        // other.
        for (String province : REGIONS.children("")) {
            assertThat(release.province(province).row(null)).as(what).isEqualTo(release.line(province));
        }
        for (boolean[] figure : withheld) {
            assertThat(published.determines(figure)).as("%s: a withheld figure can be worked out", what).isFalse();
        }
    }
}
