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
                printer.printRecord(r.eventId(), r.eventType(), r.occurredAt(), r.action(), r.nik(), r.fullName(),
                        r.birthDate(), a == null ? null : a.street(), a == null ? null : a.rt(),
                        a == null ? null : a.rw(), a == null ? null : a.villageCode(),
                        a == null ? null : a.village(), a == null ? null : a.districtCode(),
                        a == null ? null : a.district(), a == null ? null : a.regencyCode(),
                        a == null ? null : a.regency(), a == null ? null : a.provinceCode(),
                        a == null ? null : a.province(), a == null ? null : a.postalCode(), r.dateOfDeath());
            }
        }
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
                    Address address = empty(r.get("street")) == null ? null : new Address(r.get("street"),
                            r.get("rt"), r.get("rw"), r.get("village_code"), empty(r.get("village")),
                            r.get("district_code"), empty(r.get("district")), r.get("regency_code"),
                            empty(r.get("regency")), r.get("province_code"), empty(r.get("province")),
                            r.get("postal_code"));
                    rows.add(new LicenceUpdate(UUID.fromString(r.get("event_id")), r.get("event_type"),
                            OffsetDateTime.parse(r.get("occurred_at")),
                            LicenceUpdate.Action.valueOf(r.get("action")), r.get("nik"), empty(r.get("full_name")),
                            date(r.get("birth_date")), address, date(r.get("date_of_death"))));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("line " + parser.getCurrentLineNumber() + ": "
                            + e.getMessage(), e);
                }
            }
        }
        return rows;
    }

    private static String empty(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static LocalDate date(String value) {
        return empty(value) == null ? null : LocalDate.parse(value);
    }
}
