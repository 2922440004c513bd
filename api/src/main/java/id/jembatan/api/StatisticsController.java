package id.jembatan.api;

import id.jembatan.statistics.OpenStatistics;
import id.jembatan.statistics.StatisticsTable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/statistics/events} and {@code /population}: open statistics, no key, counts only, small cells
 * withheld ({@link OpenStatistics}); JSON, or CSV for {@code Accept: text/csv}.
 */
@RestController
@RequestMapping("/api/v1/statistics")
public class StatisticsController {

    /** {@code text/csv} (RFC 4180). */
    public static final String TEXT_CSV = "text/csv";

    private final OpenStatistics statistics;

    public StatisticsController(OpenStatistics statistics) {
        this.statistics = statistics;
    }

    @GetMapping(path = "/events", produces = MediaType.APPLICATION_JSON_VALUE)
    public StatisticsTable events(@RequestParam(required = false) String type,
                                  @RequestParam(required = false) String region,
                                  @RequestParam(required = false) String from,
                                  @RequestParam(required = false) String to,
                                  @RequestParam(defaultValue = "month") String groupBy) {
        return statistics.events(type, region, from, to, groupBy);
    }

    @GetMapping(path = "/events", produces = TEXT_CSV + ";charset=UTF-8")
    public String eventsCsv(@RequestParam(required = false) String type,
                            @RequestParam(required = false) String region,
                            @RequestParam(required = false) String from,
                            @RequestParam(required = false) String to,
                            @RequestParam(defaultValue = "month") String groupBy) {
        return csv(statistics.events(type, region, from, to, groupBy));
    }

    @GetMapping(path = "/population", produces = MediaType.APPLICATION_JSON_VALUE)
    public StatisticsTable population(@RequestParam(required = false) String region,
                                      @RequestParam(defaultValue = "sex") String groupBy) {
        return statistics.population(region, groupBy);
    }

    @GetMapping(path = "/population", produces = TEXT_CSV + ";charset=UTF-8")
    public String populationCsv(@RequestParam(required = false) String region,
                                @RequestParam(defaultValue = "sex") String groupBy) {
        return csv(statistics.population(region, groupBy));
    }

    /**
     * The cells and the total as CSV (RFC 4180, header row {@code key,name,count,suppressed}); a withheld count is an
     * empty cell with {@code suppressed} true.
     */
    static String csv(StatisticsTable table) {
        StringBuilder csv = new StringBuilder("key,name,count,suppressed\r\n");
        for (StatisticsTable.Cell cell : table.cells()) {
            row(csv, cell);
        }
        row(csv, table.total());
        return csv.toString();
    }

    private static void row(StringBuilder csv, StatisticsTable.Cell cell) {
        csv.append(field(cell.key())).append(',').append(field(cell.name())).append(',')
                .append(cell.count() == null ? "" : cell.count()).append(',').append(cell.suppressed()).append("\r\n");
    }

    /** A text field, quoted when it holds a comma, quote or line break; one that a spreadsheet would run, defused. */
    static String field(String value) {
        if (value == null) {
            return "";
        }
        String text = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")
                ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
