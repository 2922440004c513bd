package id.jembatan.api;

import id.jembatan.statistics.StatisticsTable;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatisticsControllerTest {

    /**
     * Cells whose names hold a comma and a quote, and one that a spreadsheet would run as a formula. Result: RFC 4180
     * quoting, the formula defused with a leading quote, a withheld count as an empty field, the total last.
     */
    @Test
    void csvQuotesNamesDefusesFormulasAndLeavesWithheldCountsEmpty() {
        StatisticsTable table = new StatisticsTable("events", "BirthRegistered", "12", "Sumatera Utara", "region",
                "2026-01", "2026-12", 10, Instant.EPOCH, List.of(
                new StatisticsTable.Cell("1207", "Lubuk Pakam I,II", 42L, false),
                new StatisticsTable.Cell("1208", "Kota \"Baru\"", null, true),
                new StatisticsTable.Cell("1209", "=HYPERLINK(\"x\")", 0L, false)),
                new StatisticsTable.Cell("TOTAL", null, 57L, false));

        assertThat(StatisticsController.csv(table)).isEqualTo("""
                key,name,count,suppressed\r
                1207,"Lubuk Pakam I,II",42,false\r
                1208,"Kota ""Baru\""",,true\r
                1209,"'=HYPERLINK(""x"")",0,false\r
                TOTAL,,57,false\r
                """);
    }
}
