package id.jembatan.schema.rules;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.model.Sex;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The NIK (Nomor Induk Kependudukan) rules every citizen number passing through the bus is checked with: 16 digits
 * = province 2 + regency 2 + district 2 of first registration + birth date DDMMYY (women: day + 40) + serial 4.
 */
public final class Nik {

    private static final int SHOWN = 4;
    private static final String MASK = "********";

    private Nik() {
    }

    /**
     * The parts of a well-formed NIK.
     *
     * @param provinceCode the first 2 digits
     * @param regencyCode  the first 4 digits (province + regency), as in the region codes
     * @param districtCode the first 6 digits (province + regency + district), as in the region codes
     * @param day          the birth day of month 1-31 (for women already without the 40)
     * @param month        the birth month 1-12
     * @param yy           the last two digits of the birth year; the century is not encoded
     * @param sex          {@link Sex#FEMALE} when the written day is 41-71
     * @param serial       1-9999
     */
    public record NikParts(String provinceCode, String regencyCode, String districtCode, int day, int month, int yy,
                           Sex sex, int serial) {

        /** Whether {@code date} has this day, month and two-digit year. */
        public boolean encodes(LocalDate date) {
            return date.getDayOfMonth() == day && date.getMonthValue() == month && date.getYear() % 100 == yy;
        }
    }

    /**
     * The structural problems of {@code nik}, each reported at {@code pointer}: {@code NIK_INVALID_LENGTH} (not 16
     * characters, or {@code null}), {@code NIK_INVALID_CHARACTERS} (anything but ASCII 0-9), and, once the shape is
     * right, {@code NIK_INVALID_REGION}, {@code NIK_INVALID_DATE} and {@code NIK_INVALID_SERIAL}. Whether the region
     * still exists is not checked here: see {@link #hasKnownRegion}.
     */
    public static List<FieldError> check(String nik, String pointer) {
        return CivilRegistryNumber.check(nik, pointer, CivilRegistryNumber.NIK);
    }

    /** Whether {@code nik} passes {@link #check}. */
    public static boolean isValid(String nik) {
        return check(nik, "").isEmpty();
    }

    /** The parts of {@code nik}, empty unless it passes {@link #check}. */
    public static Optional<NikParts> parse(String nik) {
        if (!isValid(nik)) {
            return Optional.empty();
        }
        int written = CivilRegistryNumber.writtenDay(nik);
        boolean female = written > CivilRegistryNumber.FEMALE_DAY_OFFSET;
        return Optional.of(new NikParts(nik.substring(0, 2), nik.substring(0, 4), nik.substring(0, 6),
                female ? written - CivilRegistryNumber.FEMALE_DAY_OFFSET : written,
                CivilRegistryNumber.month(nik), CivilRegistryNumber.yy(nik),
                female ? Sex.FEMALE : Sex.MALE, CivilRegistryNumber.serial(nik)));
    }

    /**
     * Whether a well-formed {@code nik} agrees with the record it belongs to: {@code NIK_SEX_MISMATCH} if the
     * +40 of the day does not match {@code sex}, {@code NIK_BIRTH_DATE_MISMATCH} if day, month or two-digit year
     * differ from {@code birthDate}. A malformed NIK (or a {@code null} sex or date) gives no error here, because
     * {@link #check} already reports it.
     */
    public static List<FieldError> checkAgainst(String nik, String pointer, Sex sex, LocalDate birthDate) {
        Optional<NikParts> parsed = parse(nik);
        if (parsed.isEmpty()) {
            return List.of();
        }
        NikParts parts = parsed.get();
        List<FieldError> errors = new ArrayList<>(2);
        if (sex != null && parts.sex() != sex) {
            errors.add(new FieldError(ErrorCode.NIK_SEX_MISMATCH, pointer, parts.sex() == Sex.FEMALE
                    ? "NIK encodes a woman (birth day + 40) but the sex is " + sex
                    : "NIK encodes a man (birth day without + 40) but the sex is " + sex));
        }
        if (birthDate != null && !parts.encodes(birthDate)) {
            errors.add(new FieldError(ErrorCode.NIK_BIRTH_DATE_MISMATCH, pointer, String.format(
                    "NIK encodes the birth date %02d-%02d-%02d (DD-MM-YY) but the birth date is %s",
                    parts.day(), parts.month(), parts.yy(), birthDate)));
        }
        return errors;
    }

    /**
     * Whether the district of a well-formed {@code nik} (its first 6 digits) is in {@code codes}. A NIK keeps the
     * district of first registration for life, so {@code false} is worth a warning, not a rejection.
     */
    public static boolean hasKnownRegion(String nik, RegionCodes codes) {
        return CivilRegistryNumber.hasDigitShape(nik) && codes.exists(nik.substring(0, 6));
    }

    /**
     * The NIK as it may appear in logs: the first and last 4 digits around 8 stars ({@code 3171********0001}).
     * Shorter input is starred out entirely (one star per character), {@code null} gives {@code "null"}, and any
     * character outside printable ASCII is shown as {@code ?} so that a hostile value cannot forge log lines.
     */
    public static String mask(String nik) {
        if (nik == null) {
            return "null";
        }
        if (nik.length() < 2 * SHOWN + MASK.length()) {
            return "*".repeat(nik.length());
        }
        return printable(nik.substring(0, SHOWN)) + MASK + printable(nik.substring(nik.length() - SHOWN));
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
