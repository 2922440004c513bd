package id.jembatan.api;

import id.jembatan.metering.Usage;
import id.jembatan.metering.UsageCount;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Metering for the operators (operator key only, operator port): what each agency used per day, and one month as the
 * CSV a ministry bills from, both counted from the audit chain ({@link Usage}).
 */
@RestController
@RequestMapping(path = "/api/v1/operations/usage")
public class UsageController {

    /** The longest period one request may ask for: a year and a day, so that a whole (leap) year fits. */
    static final int MAX_DAYS = 366;

    private final Usage usage;

    public UsageController(Usage usage) {
        this.usage = usage;
    }

    /** Counts per day, agency, purpose, operation, channel and outcome from {@code from} to {@code to} inclusive. */
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> daily(@RequestParam String from, @RequestParam String to,
                                     @RequestParam(required = false) String agency) {
        LocalDate first = day("from", from);
        LocalDate last = day("to", to);
        if (last.isBefore(first) || ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            throw invalid("to", "to must be on or after from, at most " + MAX_DAYS + " days in all");
        }
        List<UsageCount> counts = usage.daily(first, last, agencyOf(agency));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("from", first.toString());
        answer.put("to", last.toString());
        answer.put("zone", usage.zone().getId());
        answer.put("agency", agencyOf(agency).orElse(null));
        answer.put("total", counts.stream().mapToLong(UsageCount::count).sum());
        answer.put("counts", counts);
        return answer;
    }

    /**
     * One month's counts as CSV (RFC 4180): {@code month,agency,purpose,operation,channel,outcome,count}, one row per
     * agency, purpose, operation, channel and outcome, sorted so; a download named for the month.
     */
    @GetMapping(path = "/monthly", produces = StatisticsController.TEXT_CSV + ";charset=UTF-8")
    public ResponseEntity<String> monthly(@RequestParam String month, @RequestParam(required = false) String agency) {
        YearMonth parsed;
        try {
            parsed = YearMonth.parse(month);
        } catch (DateTimeParseException e) {
            throw invalid("month", "month must be a month as YYYY-MM");
        }
        StringBuilder csv = new StringBuilder("month,agency,purpose,operation,channel,outcome,count\r\n");
        for (UsageCount count : usage.monthly(parsed, agencyOf(agency))) {
            csv.append(parsed).append(',').append(StatisticsController.field(count.agency())).append(',')
                    .append(StatisticsController.field(count.purpose())).append(',')
                    .append(StatisticsController.field(count.operation())).append(',')
                    .append(StatisticsController.field(count.channel())).append(',')
                    .append(StatisticsController.field(count.outcome())).append(',')
                    .append(count.count()).append("\r\n");
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"jembatan-usage-" + parsed + ".csv\"")
                .body(csv.toString());
    }

    private static Optional<String> agencyOf(String agency) {
        return agency == null || agency.isBlank() ? Optional.empty() : Optional.of(agency);
    }

    private static LocalDate day(String name, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid(name, name + " must be a day as YYYY-MM-DD");
        }
    }

    private static JembatanException invalid(String name, String message) {
        return JembatanException.of(List.of(new FieldError(ErrorCode.INVALID_QUERY_PARAMETER, "/" + name, message)));
    }
}
