package id.jembatan.connector.licensing;

import id.jembatan.schema.model.Address;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The licensing drop file format, version 1: RFC 4180 CSV (comma, double quotes, CRLF), UTF-8, one header row,
 * one row per {@link LicenceUpdate}. Empty cell = no value. Dates ISO 8601; {@code occurred_at} with its offset.
 *
 * <p>Cells are neutralised against CSV (formula) injection as OWASP advises: a text cell that starts with
 * {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return is written with a single quote before it
 * ({@code =HYPERLINK(...)} becomes {@code '=HYPERLINK(...)}), so that a spreadsheet opening the file shows it as
 * text instead of evaluating it. To keep this reversible, a cell that already starts with quotes followed by one
 * of those characters gets one more quote; a reader removes exactly one leading quote from a cell whose rest would
 * itself need the quote ({@link #read} does). Every other cell is written as it is.
 */
public final class LicensingCsv {

    /** The columns, in order. Adding a column at the end is compatible; anything else needs a version 2. */
    public static final String[] COLUMNS = {
            "event_id", "event_type", "occurred_at", "action", "nik", "full_name", "birth_date", "street", "rt", "rw",
            "village_code", "village", "district_code", "district", "regency_code", "regency", "province_code",
            "province", "postal_code", "date_of_death"};

    private static final CSVFormat WRITE = CSVFormat.RFC4180.builder().setHeader(COLUMNS).get();
    private static final CSVFormat READ = CSVFormat.RFC4180.builder().setHeader(COLUMNS).setSkipHeaderRecord(true)
            .get();

    private LicensingCsv() {
    }

    public static void write(List<LicenceUpdate> rows, Writer out) throws IOException {
        try (CSVPrinter printer = new CSVPrinter(out, WRITE)) {
            for (LicenceUpdate r : rows) {
                Address a = r.address();
                printer.printRecord(r.eventId(), r.eventType(), r.occurredAt(), r.action(), neutral(r.nik()),
                        neutral(r.fullName()), r.birthDate(), a == null ? null : neutral(a.street()),
                        a == null ? null : neutral(a.rt()), a == null ? null : neutral(a.rw()),
                        a == null ? null : neutral(a.villageCode()), a == null ? null : neutral(a.village()),
                        a == null ? null : neutral(a.districtCode()), a == null ? null : neutral(a.district()),
                        a == null ? null : neutral(a.regencyCode()), a == null ? null : neutral(a.regency()),
                        a == null ? null : neutral(a.provinceCode()), a == null ? null : neutral(a.province()),
                        a == null ? null : neutral(a.postalCode()), r.dateOfDeath());
            }
        }
    }

    /**
     * The cell for a text value: with a single quote before it when a spreadsheet would otherwise take it for a
     * formula (OWASP, CSV injection), see the class comment.
     */
    static String neutral(String value) {
        return value != null && needsQuote(value) ? "'" + value : value;
    }

    /** The value of a text cell written by {@link #neutral}. */
    static String value(String cell) {
        return cell != null && cell.startsWith("'") && needsQuote(cell.substring(1)) ? cell.substring(1) : cell;
    }

    /** Whether the value starts, after any single quotes, with a character a spreadsheet starts a formula with. */
    private static boolean needsQuote(String value) {
        int first = 0;
        while (first < value.length() && value.charAt(first) == '\'') {
            first++;
        }
        if (first == value.length()) {
            return false;
        }
        char c = value.charAt(first);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }

    /**
     * Reads a drop file.
     *
     * @throws IllegalArgumentException naming the line, for a header that is not {@link #COLUMNS} or a bad cell
     */
    public static List<LicenceUpdate> read(Reader in) throws IOException {
        List<LicenceUpdate> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.builder().setReader(in).setFormat(READ).get()) {
            if (!Arrays.asList(COLUMNS).equals(parser.getHeaderNames())) {
                throw new IllegalArgumentException("unexpected header " + parser.getHeaderNames());
            }
            for (CSVRecord r : parser) {
                try {
                    Address address = empty(r.get("street")) == null ? null : new Address(text(r, "street"),
                            text(r, "rt"), text(r, "rw"), text(r, "village_code"), text(r, "village"),
                            text(r, "district_code"), text(r, "district"), text(r, "regency_code"),
                            text(r, "regency"), text(r, "province_code"), text(r, "province"),
                            text(r, "postal_code"));
                    rows.add(new LicenceUpdate(UUID.fromString(r.get("event_id")), r.get("event_type"),
                            OffsetDateTime.parse(r.get("occurred_at")),
                            LicenceUpdate.Action.valueOf(r.get("action")), text(r, "nik"), text(r, "full_name"),
                            date(r.get("birth_date")), address, date(r.get("date_of_death"))));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("line " + parser.getCurrentLineNumber() + ": "
                            + e.getMessage(), e);
                }
            }
        }
        return rows;
    }

    /** A text cell's value: empty is none, and the quote {@link #neutral} added is taken off. */
    private static String text(CSVRecord record, String column) {
        return value(empty(record.get(column)));
    }

    private static String empty(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static LocalDate date(String value) {
        return empty(value) == null ? null : LocalDate.parse(value);
    }
}
