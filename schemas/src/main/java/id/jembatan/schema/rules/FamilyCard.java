package id.jembatan.schema.rules;

import id.jembatan.schema.error.FieldError;

import java.util.List;

/**
 * The family card (Kartu Keluarga, KK) number rules: 16 digits = province 2 + regency 2 + district 2 of issue +
 * issue date DDMMYY (no +40 rule) + serial 4.
 */
public final class FamilyCard {

    private FamilyCard() {
    }

    /**
     * The structural problems of {@code number}, each reported at {@code pointer}: {@code KK_INVALID_LENGTH},
     * {@code KK_INVALID_CHARACTERS}, and, once the shape is right, {@code KK_INVALID_REGION},
     * {@code KK_INVALID_DATE} (the issue date must be a calendar date, day 01-31) and {@code KK_INVALID_SERIAL}.
     */
    public static List<FieldError> check(String number, String pointer) {
        return CivilRegistryNumber.check(number, pointer, CivilRegistryNumber.FAMILY_CARD);
    }

    /** Whether {@code number} passes {@link #check}. */
    public static boolean isValid(String number) {
        return check(number, "").isEmpty();
    }

    /** Whether the district of a well-formed {@code number} (its first 6 digits) is in {@code codes}. */
    public static boolean hasKnownRegion(String number, RegionCodes codes) {
        return CivilRegistryNumber.hasDigitShape(number) && codes.exists(number.substring(0, 6));
    }
}
