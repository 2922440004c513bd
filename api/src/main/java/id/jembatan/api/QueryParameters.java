package id.jembatan.api;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;

import java.util.List;

/**
 * Query parameters of the v1 API read as the contract documents them: a bad one is 400
 * {@code INVALID_QUERY_PARAMETER} naming the parameter ({@code /<name>}) and its allowed range.
 */
final class QueryParameters {

    private QueryParameters() {
    }

    /** Query parameter {@code name} as a whole number from {@code min} to {@code max}, else 400. */
    static int wholeNumber(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below, like a number out of range
        }
        throw JembatanException.of(List.of(new FieldError(ErrorCode.INVALID_QUERY_PARAMETER, "/" + name,
                name + " must be a whole number from " + min + " to " + max)));
    }
}
