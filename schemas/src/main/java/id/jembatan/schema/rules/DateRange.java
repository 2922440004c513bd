package id.jembatan.schema.rules;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The dates and time offsets the bus accepts: those the master index and every agency format can carry alike, and
 * that are plausible for a civil register. JSON Schema's {@code date} and {@code date-time} allow the year 0000 and
 * offsets up to +/-14:59 (RFC 3339), but {@code xs:date}/{@code xs:dateTime} (the tax office) have no year 0 and no
 * offset beyond +/-14:00, and FHIR has no year 0 either: an event the tax office could never be told would make the
 * index and the agencies diverge, so it is refused at the door ({@code DATE_OUT_OF_RANGE}).
 *
 * <ul>
 *     <li>Every date (birth, death, marriage, divorce, and the day of {@code occurredAt} in its own offset) lies on
 *     or after {@link #EARLIEST_DATE}, 1900-01-01: nobody alive or recently deceased was born before it, and no
 *     event of the register is older than its people.</li>
 *     <li>Every offset lies between {@link #EARLIEST_OFFSET} (-12:00) and {@link #LATEST_OFFSET} (+14:00), the
 *     range of the world's time zones, in whole quarter hours ({@link #OFFSET_STEP_MINUTES}): +05:45 (Nepal) and
 *     +08:45 are real offsets, +07:07 is not.</li>
 * </ul>
 * The latest date is today's, which {@code DATE_IN_FUTURE} enforces.
 */
public final class DateRange {

    public static final LocalDate EARLIEST_DATE = LocalDate.of(1900, 1, 1);
    public static final ZoneOffset EARLIEST_OFFSET = ZoneOffset.ofHours(-12);
    public static final ZoneOffset LATEST_OFFSET = ZoneOffset.ofHours(14);
    public static final int OFFSET_STEP_MINUTES = 15;

    private DateRange() {
    }

    /** {@code DATE_OUT_OF_RANGE} at {@code pointer} if {@code date} lies before {@link #EARLIEST_DATE}. */
    public static List<FieldError> checkDate(LocalDate date, String pointer, String field) {
        if (date != null && date.isBefore(EARLIEST_DATE)) {
            return List.of(new FieldError(ErrorCode.DATE_OUT_OF_RANGE, pointer,
                    field + " " + date + " lies before " + EARLIEST_DATE + ", the earliest date the bus accepts"));
        }
        return List.of();
    }

    /**
     * {@code DATE_OUT_OF_RANGE} at {@code pointer} for each way {@code timestamp} is out of range: its offset is
     * not a real one (outside -12:00..+14:00, or not a whole quarter hour), or its day lies before
     * {@link #EARLIEST_DATE}.
     */
    public static List<FieldError> checkTimestamp(OffsetDateTime timestamp, String pointer, String field) {
        if (timestamp == null) {
            return List.of();
        }
        List<FieldError> errors = new ArrayList<>(0);
        if (!isRealOffset(timestamp.getOffset())) {
            errors.add(new FieldError(ErrorCode.DATE_OUT_OF_RANGE, pointer, field + " has the offset "
                    + timestamp.getOffset() + "; offsets must lie between " + EARLIEST_OFFSET + " and "
                    + LATEST_OFFSET + " in whole quarter hours (e.g. +07:00, +05:45, Z)"));
        }
        if (timestamp.toLocalDate().isBefore(EARLIEST_DATE)) {
            errors.add(new FieldError(ErrorCode.DATE_OUT_OF_RANGE, pointer, field + " "
                    + timestamp.toLocalDate() + " lies before " + EARLIEST_DATE
                    + ", the earliest date the bus accepts"));
        }
        return errors;
    }

    /** Whether {@code offset} lies within -12:00..+14:00 and is a whole number of quarter hours. */
    public static boolean isRealOffset(ZoneOffset offset) {
        int seconds = offset.getTotalSeconds();
        return seconds >= EARLIEST_OFFSET.getTotalSeconds() && seconds <= LATEST_OFFSET.getTotalSeconds()
                && seconds % (OFFSET_STEP_MINUTES * 60) == 0;
    }
}
