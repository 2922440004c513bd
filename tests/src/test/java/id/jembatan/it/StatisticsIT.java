package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The open statistics against the running bus, read without a key: a known answer for births the test registers in
 * a year no other test uses (2011), the population's shape, CSV, and refusals of malformed queries.
 *
 * <p>The births: 12 in March 2011 and 3 in April 2011, all of citizens living in one regency (its province has no
 * other births in 2011). Worked by hand with k = 10: April's 3 is withheld; it could be worked out from the year's
 * total (15) and the zeros, so March is withheld with it, in the regency's row, the province's and the country's.
 * The year's total, 15, is published; so are the zeros.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatisticsIT extends StatisticsTestSupport {

    private static final OffsetDateTime MARCH = OffsetDateTime.of(2011, 3, 15, 10, 0, 0, 0, ZoneOffset.ofHours(7));
    private static final OffsetDateTime APRIL = OffsetDateTime.of(2011, 4, 15, 10, 0, 0, 0, ZoneOffset.ofHours(7));

    private String regency;

    @Autowired
    private MeterRegistry meters;

    @BeforeAll
    void registerBirthsOf2011() {
        regency = birthsInOneRegency(Map.of(MARCH, 12, APRIL, 3));
    }

    private JsonNode statistics(String query) {
        HttpResponse<String> response = get("/api/v1/statistics/" + query, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return read(response);
    }

    /** The months of 2011 for one region: March and April withheld, every other month 0, the total 15. */
    private static void assertKnownYear(JsonNode table) {
        JsonNode cells = table.path("cells");
        assertThat(cells).hasSize(12);
        for (int m = 0; m < 12; m++) {
            JsonNode cell = cells.get(m);
            assertThat(cell.path("key").asText()).isEqualTo("2011-%02d".formatted(m + 1));
            if (m == 2 || m == 3) {
                assertThat(cell.path("suppressed").asBoolean()).as(cell.toString()).isTrue();
                assertThat(cell.path("count").isNull()).as(cell.toString()).isTrue();
            } else {
                assertThat(cell.path("count").asLong()).as(cell.toString()).isZero();
                assertThat(cell.path("suppressed").asBoolean()).isFalse();
            }
        }
        assertThat(table.path("total").path("count").asLong()).isEqualTo(15);
        assertThat(table.path("total").path("suppressed").asBoolean()).isFalse();
        assertThat(table.path("minimumCount").asInt()).isEqualTo(10);
    }

    /**
     * Anyone, without a key, asks for 2011's births by month in the regency, its province and the whole country.
     * Result: the known answer each time (March and April withheld, the rest 0, the total 15); the operators' timer
     * of computed releases counts 2011's births release once, however often it is asked for within the refresh.
     */
    @Test
    void birthsByMonthAreTheKnownAnswerAtEveryLevel() {
        for (String region : List.of(regency, regency.substring(0, 2), "")) {
            JsonNode table = statistics("events?type=BirthRegistered&region=" + region
                    + "&from=2011-01&to=2011-12&groupBy=month");
            assertThat(table.path("region").asText()).isEqualTo(region);
            assertThat(table.path("regionName").asText()).isNotBlank();
            assertKnownYear(table);
        }
        Timer computed = meters.find("jembatan.statistics.release").tag("measure", "events").timer();
        assertThat(computed).isNotNull();
        long before = computed.count();
        statistics("events?type=BirthRegistered&region=" + regency + "&from=2011-01&to=2011-12");
        assertThat(computed.count()).isEqualTo(before);
    }

    /**
     * 2011's births by regency of the province. Result: the regency 15, every other regency of the province 0, the
     * province's total 15, each regency named from the official list.
     */
    @Test
    void birthsByRegionListTheProvincesRegencies() {
        JsonNode table = statistics("events?type=BirthRegistered&region=" + regency.substring(0, 2)
                + "&from=2011-01&to=2011-12&groupBy=region");

        assertThat(table.path("cells").size()).isGreaterThan(1);
        for (JsonNode cell : table.path("cells")) {
            assertThat(cell.path("key").asText()).startsWith(regency.substring(0, 2)).hasSize(4);
            assertThat(cell.path("name").asText()).isNotBlank();
            assertThat(cell.path("count").asLong()).isEqualTo(cell.path("key").asText().equals(regency) ? 15 : 0);
        }
        assertThat(table.path("total").path("count").asLong()).isEqualTo(15);
    }

    /**
     * Part of the year: March alone, then January and February. Result: March withheld and so is the total (it would
     * be March itself); January and February 0 with a published total of 0.
     */
    @Test
    void aTotalThatWouldGiveAWithheldFigureAwayIsWithheld() {
        JsonNode march = statistics("events?type=BirthRegistered&region=" + regency + "&from=2011-03&to=2011-03");
        JsonNode winter = statistics("events?type=BirthRegistered&region=" + regency + "&from=2011-01&to=2011-02");

        assertThat(march.path("cells").get(0).path("suppressed").asBoolean()).isTrue();
        assertThat(march.path("total").path("suppressed").asBoolean()).isTrue();
        assertThat(march.path("total").path("count").isNull()).isTrue();
        assertThat(winter.path("total").path("count").asLong()).isZero();
        assertThat(winter.path("total").path("suppressed").asBoolean()).isFalse();
    }

    /**
     * A period across two years, December 2010 to April 2011. Result: a cell per month from each year's release
     * (December 0, March and April withheld) and the total withheld, as it would add in withheld months.
     */
    @Test
    void aPeriodAcrossYearsTakesEachYearsFigures() {
        JsonNode table = statistics("events?type=BirthRegistered&region=" + regency + "&from=2010-12&to=2011-04");

        assertThat(table.path("cells").findValuesAsText("key"))
                .containsExactly("2010-12", "2011-01", "2011-02", "2011-03", "2011-04");
        assertThat(table.path("cells").get(0).path("count").asLong()).isZero();
        assertThat(table.path("cells").get(3).path("suppressed").asBoolean()).isTrue();
        assertThat(table.path("cells").get(4).path("suppressed").asBoolean()).isTrue();
        assertThat(table.path("total").path("suppressed").asBoolean()).isTrue();
    }

    /**
     * The same statistics as CSV ({@code Accept: text/csv}). Result: RFC 4180 with the header
     * {@code key,name,count,suppressed}, a row per month with empty counts for the withheld ones, and the total.
     */
    @Test
    void csvOnRequest() {
        HttpResponse<String> response = send(request("/api/v1/statistics/events?type=BirthRegistered&region="
                + regency + "&from=2011-01&to=2011-12", null).header("Accept", "text/csv").GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/csv"));
        assertThat(response.body().split("\r\n")).hasSize(14)
                .startsWith("key,name,count,suppressed", "2011-01,,0,false", "2011-02,,0,false",
                        "2011-03,,,true", "2011-04,,,true")
                .endsWith("TOTAL,,15,false");
    }

    /**
     * The living population of the regency by sex and by age band, and of the country by sex. Result: every count
     * is withheld or is 0 or at least 10, and where nothing is withheld the cells add up to the total; the 15 women
     * born in 2010 are in the regency's female and 0-4 or 5-9 counts.
     */
    @Test
    void populationBySexAndAgeBand() {
        for (String query : List.of("region=" + regency + "&groupBy=sex", "region=" + regency + "&groupBy=ageBand",
                "groupBy=sex")) {
            JsonNode table = statistics("population?" + query);
            long sum = 0;
            boolean anyWithheld = false;
            for (JsonNode cell : table.path("cells")) {
                if (cell.path("suppressed").asBoolean()) {
                    anyWithheld = true;
                    assertThat(cell.path("count").isNull()).isTrue();
                } else {
                    long count = cell.path("count").asLong();
                    assertThat(count == 0 || count >= 10).as(cell.toString()).isTrue();
                    sum += count;
                }
            }
            if (!anyWithheld && !table.path("total").path("suppressed").asBoolean()) {
                assertThat(table.path("total").path("count").asLong()).isEqualTo(sum);
            }
        }
        JsonNode bySex = statistics("population?region=" + regency + "&groupBy=sex");
        assertThat(bySex.path("cells").findValuesAsText("key")).containsExactly("MALE", "FEMALE");
        JsonNode female = bySex.path("cells").get(1);
        assertThat(female.path("suppressed").asBoolean() || female.path("count").asLong() >= 15).isTrue();
        JsonNode byAge = statistics("population?region=" + regency + "&groupBy=ageBand");
        assertThat(byAge.path("cells").findValuesAsText("key")).startsWith("0-4", "5-9").endsWith("75+").hasSize(16);
    }

    /**
     * Malformed queries, one asking for Indonesian. Result: 400 {@code INVALID_QUERY_PARAMETER} with a pointer per
     * wrong parameter (an unknown type, a region that is not in the official list, a month the wrong way round,
     * groupBy=region below a province); in Indonesian for {@code Accept-Language: id}.
     */
    @Test
    void malformedQueriesAreRefused() {
        assertFieldProblem(get("/api/v1/statistics/events?type=Nope&region=99&from=2011-13&to=2011-01", null), 400,
                "INVALID_QUERY_PARAMETER", "/type", "/region", "/from");
        assertFieldProblem(get("/api/v1/statistics/events?type=BirthRegistered&from=2011-05&to=2011-01", null), 400,
                "INVALID_QUERY_PARAMETER", "/to");
        assertFieldProblem(get("/api/v1/statistics/events?type=BirthRegistered&region=" + regency
                + "&from=2011-01&to=2011-12&groupBy=region", null), 400, "INVALID_QUERY_PARAMETER", "/groupBy");
        assertFieldProblem(get("/api/v1/statistics/population?groupBy=religion", null), 400,
                "INVALID_QUERY_PARAMETER", "/groupBy");
        HttpResponse<String> indonesian = send(request("/api/v1/statistics/population?region=9999", null)
                .header("Accept-Language", "id").GET());
        assertThat(assertFieldProblem(indonesian, 400, "INVALID_QUERY_PARAMETER", "/region").path("title").asText())
                .isEqualTo("Parameter kueri tidak sah atau di luar rentang");
    }
}
