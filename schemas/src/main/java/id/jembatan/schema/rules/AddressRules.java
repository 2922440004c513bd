package id.jembatan.schema.rules;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.model.Address;

import java.util.ArrayList;
import java.util.List;

/**
 * The region-code rules for addresses entering the bus: province, regency, district and village codes must each
 * exist at their level and each must be the prefix of the next. Names are not compared: spellings vary and the codes
 * are what agencies key on.
 */
public final class AddressRules {

    private static final String[] FIELDS = {"provinceCode", "regencyCode", "districtCode", "villageCode"};
    private static final String[] WHAT = {"province", "regency/city", "district", "village"};
    private static final int[] DIGITS = {2, 4, 6, 10};

    private final RegionCodes codes;

    public AddressRules(RegionCodes codes) {
        this.codes = codes;
    }

    /**
     * Every problem of {@code address}'s region codes, each at {@code pointerPrefix + "/" + field} (for example
     * {@code /citizen/address/villageCode}): {@code ADDRESS_UNKNOWN_REGION_CODE} for a missing code or one that is not
     * an official code of its level, {@code ADDRESS_REGION_MISMATCH} at the lower field when two existing codes do
     * not nest.
     */
    public List<FieldError> check(Address address, String pointerPrefix) {
        String[] values = {address.provinceCode(), address.regencyCode(), address.districtCode(),
                address.villageCode()};
        boolean[] known = new boolean[values.length];
        List<FieldError> errors = new ArrayList<>(0);
        for (int i = 0; i < values.length; i++) {
            String pointer = pointerPrefix + "/" + FIELDS[i];
            if (values[i] == null) {
                errors.add(new FieldError(ErrorCode.ADDRESS_UNKNOWN_REGION_CODE, pointer,
                        FIELDS[i] + " is missing"));
            } else if (codes.level(values[i]) != i + 1) {
                errors.add(new FieldError(ErrorCode.ADDRESS_UNKNOWN_REGION_CODE, pointer, FIELDS[i] + " "
                        + printable(values[i]) + " is not an official " + WHAT[i] + " code (" + DIGITS[i]
                        + " digits)"));
            } else {
                known[i] = true;
            }
        }
        for (int i = 1; i < values.length; i++) {
            if (known[i] && known[i - 1] && !values[i].startsWith(values[i - 1])) {
                errors.add(new FieldError(ErrorCode.ADDRESS_REGION_MISMATCH, pointerPrefix + "/" + FIELDS[i],
                        FIELDS[i] + " " + values[i] + " does not lie in " + WHAT[i - 1] + " " + values[i - 1]
                                + " (" + FIELDS[i - 1] + "): it must start with those " + DIGITS[i - 1]
                                + " digits"));
            }
        }
        return errors;
    }

    /** Echoes a code back in a message only when it is short plain text; anything else is not worth repeating. */
    private static String printable(String value) {
        if (value.length() <= 16 && value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return value;
        }
        return "(" + value.length() + " characters)";
    }
}
