package id.jembatan.schema.rules;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The legacy 15-digit NPWP (Nomor Pokok Wajib Pajak) that tax records from before the NIK became the individual's
 * taxpayer number (2024) still carry: {@code ST.sss.sss.C-KKK.BBB}, taxpayer type 2 + serial 6 + check digit 1 + tax
 * office (KPP) 3 + branch 3. The check digit makes the first nine digits pass the Luhn (modulus 10) check, as the
 * tax office's own numbers do. Accepted written with its dots and dash or as 15 digits alone; kept as 15 digits.
 */
public final class Npwp {

    private static final Pattern FORMATTED = Pattern.compile("[0-9]{2}\\.[0-9]{3}\\.[0-9]{3}\\.[0-9]-[0-9]{3}\\.[0-9]{3}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{15}");
    private static final int CHECKED_DIGITS = 9;

    private Npwp() {
    }

    /**
     * The problems of {@code npwp} at {@code pointer}: {@code NPWP_INVALID_FORMAT} unless it is written
     * {@code XX.XXX.XXX.X-XXX.XXX} or as 15 digits, {@code NPWP_INVALID_CHECK_DIGIT} when its ninth digit is not the
     * Luhn check digit of the first eight.
     */
    public static List<FieldError> check(String npwp, String pointer) {
        if (npwp == null || !(FORMATTED.matcher(npwp).matches() || DIGITS.matcher(npwp).matches())) {
            return List.of(new FieldError(ErrorCode.NPWP_INVALID_FORMAT, pointer,
                    "npwp must be 15 digits written XX.XXX.XXX.X-XXX.XXX or as digits only"));
        }
        if (!luhn(digits(npwp).substring(0, CHECKED_DIGITS))) {
            return List.of(new FieldError(ErrorCode.NPWP_INVALID_CHECK_DIGIT, pointer,
                    "npwp's ninth digit is not the check digit of the first eight"));
        }
        return List.of();
    }

    /** The 15 digits of a valid {@code npwp}, empty if {@link #check} finds a problem. */
    public static Optional<String> normalise(String npwp) {
        return check(npwp, "").isEmpty() ? Optional.of(digits(npwp)) : Optional.empty();
    }

    /** 15 digits written {@code XX.XXX.XXX.X-XXX.XXX}. */
    public static String format(String digits) {
        if (digits == null || !DIGITS.matcher(digits).matches()) {
            throw new IllegalArgumentException("not 15 digits");
        }
        return digits.substring(0, 2) + "." + digits.substring(2, 5) + "." + digits.substring(5, 8) + "."
                + digits.charAt(8) + "-" + digits.substring(9, 12) + "." + digits.substring(12);
    }

    /** The first nine digits' check digit (Luhn) made from eight, for test data: {@code 01312166} gives 0. */
    public static int checkDigit(String firstEight) {
        for (int candidate = 0; candidate < 10; candidate++) {
            if (luhn(firstEight + candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("not eight digits");
    }

    /** Shown in logs: type, check digit and tax office hidden ({@code 01.3**.***.*-***.000}). */
    public static String mask(String npwp) {
        String digits = npwp == null ? "" : digits(npwp);
        return digits.length() != 15 ? "***" : digits.substring(0, 2) + "." + digits.charAt(2) + "**.***.*-***."
                + digits.substring(12);
    }

    private static String digits(String npwp) {
        return npwp.replace(".", "").replace("-", "");
    }

    private static boolean luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return sum % 10 == 0;
    }
}
