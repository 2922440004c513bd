package id.jembatan.schema.rules;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;

import java.util.ArrayList;
import java.util.List;

/**
 * The structure NIK and family-card numbers share, checked for both: 16 ASCII digits = region (province 2,
 * regency 2, district 2) + a date DDMMYY + a serial of 4 digits from 0001.
 */
final class CivilRegistryNumber {

    static final int LENGTH = 16;
    /** Women's NIKs carry the birth day plus 40. */
    static final int FEMALE_DAY_OFFSET = 40;

    /** The error codes and wording of one kind of number. */
    record Kind(String label, boolean femaleDayOffset, ErrorCode length, ErrorCode characters, ErrorCode region,
                ErrorCode date, ErrorCode serial) {
    }

    static final Kind NIK = new Kind("NIK", true, ErrorCode.NIK_INVALID_LENGTH,
            ErrorCode.NIK_INVALID_CHARACTERS, ErrorCode.NIK_INVALID_REGION, ErrorCode.NIK_INVALID_DATE,
            ErrorCode.NIK_INVALID_SERIAL);

    static final Kind FAMILY_CARD = new Kind("Family card number", false, ErrorCode.KK_INVALID_LENGTH,
            ErrorCode.KK_INVALID_CHARACTERS, ErrorCode.KK_INVALID_REGION, ErrorCode.KK_INVALID_DATE,
            ErrorCode.KK_INVALID_SERIAL);

    private static final int[] DAYS_IN_MONTH = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    private CivilRegistryNumber() {
    }

    /** Every structural problem of {@code value}; empty if it is well-formed. */
    static List<FieldError> check(String value, String pointer, Kind kind) {
        List<FieldError> errors = new ArrayList<>(2);
        if (value == null) {
            errors.add(new FieldError(kind.length(), pointer, kind.label() + " is missing"));
            return errors;
        }
        int length = value.codePointCount(0, value.length());
        if (length != LENGTH) {
            errors.add(new FieldError(kind.length(), pointer,
                    kind.label() + " must have " + LENGTH + " digits but has " + length + " characters"));
        }
        int bad = firstNonAsciiDigit(value);
        if (bad >= 0) {
            errors.add(new FieldError(kind.characters(), pointer, kind.label()
                    + " must contain only the digits 0-9, but character " + (bad + 1) + " is not one"));
        }
        if (!errors.isEmpty()) {
            return errors;
        }
        checkRegion(value, pointer, kind, errors);
        checkDate(value, pointer, kind, errors);
        if (value.endsWith("0000")) {
            errors.add(new FieldError(kind.serial(), pointer,
                    kind.label() + " serial number (last 4 digits) must be 0001 or higher, not 0000"));
        }
        return errors;
    }

    /** Whether the value has the right length and only ASCII digits, so that its parts can be read. */
    static boolean hasDigitShape(String value) {
        return value != null && value.length() == LENGTH && firstNonAsciiDigit(value) < 0;
    }

    /** The day as written in the number (women's NIK: day + 40), digits 7-8. */
    static int writtenDay(String value) {
        return twoDigits(value, 6);
    }

    static int month(String value) {
        return twoDigits(value, 8);
    }

    static int yy(String value) {
        return twoDigits(value, 10);
    }

    static int serial(String value) {
        return Integer.parseInt(value.substring(12, 16));
    }

    /** Whether day-month is a calendar date in 19YY or 20YY: 29 February needs YY divisible by 4 (2000 leaps). */
    static boolean isCalendarDate(int day, int month, int yy) {
        if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month]) {
            return false;
        }
        return month != 2 || day != 29 || yy % 4 == 0;
    }

    private static void checkRegion(String value, String pointer, Kind kind, List<FieldError> errors) {
        int province = twoDigits(value, 0);
        if (province < 11) {
            errors.add(new FieldError(kind.region(), pointer, kind.label() + " province code (digits 1-2) must be"
                    + " between 11 and 99, not " + value.substring(0, 2)));
        }
        if (value.startsWith("00", 2)) {
            errors.add(new FieldError(kind.region(), pointer,
                    kind.label() + " regency code (digits 3-4) must not be 00"));
        }
        if (value.startsWith("00", 4)) {
            errors.add(new FieldError(kind.region(), pointer,
                    kind.label() + " district code (digits 5-6) must not be 00"));
        }
    }

    private static void checkDate(String value, String pointer, Kind kind, List<FieldError> errors) {
        int written = writtenDay(value);
        int month = month(value);
        int yy = yy(value);
        String date = value.substring(6, 8) + "-" + value.substring(8, 10) + "-" + value.substring(10, 12);
        int day = written;
        if (kind.femaleDayOffset() && written > FEMALE_DAY_OFFSET) {
            day = written - FEMALE_DAY_OFFSET;
        }
        if (day < 1 || day > 31) {
            String allowed = kind.femaleDayOffset() ? "01-31 (men) or 41-71 (women: day + 40)" : "01-31";
            errors.add(new FieldError(kind.date(), pointer, kind.label() + " date " + date + " (digits 7-12, DDMMYY)"
                    + " has day " + value.substring(6, 8) + "; the day must be " + allowed));
        } else if (month < 1 || month > 12) {
            errors.add(new FieldError(kind.date(), pointer, kind.label() + " date " + date + " (digits 7-12, DDMMYY)"
                    + " has month " + value.substring(8, 10) + "; the month must be 01-12"));
        } else if (!isCalendarDate(day, month, yy)) {
            String why = month == 2 && day == 29
                    ? "29 February, but neither 19" + value.substring(10, 12) + " nor 20" + value.substring(10, 12)
                    + " is a leap year"
                    : "day " + day + " of a month that has fewer days";
            errors.add(new FieldError(kind.date(), pointer,
                    kind.label() + " date " + date + " (digits 7-12, DDMMYY) is not a calendar date: " + why));
        }
    }

    private static int twoDigits(String value, int start) {
        return (value.charAt(start) - '0') * 10 + (value.charAt(start + 1) - '0');
    }

    /** Index of the first char that is not an ASCII digit, or -1. Unicode digits such as '٣' are not accepted. */
    private static int firstNonAsciiDigit(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return value.codePointCount(0, i);
            }
        }
        return -1;
    }
}
