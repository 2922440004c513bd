package id.jembatan.schema.error;

import java.util.List;

/**
 * A rejection with a stable {@link ErrorCode}: the HTTP layer turns it into problem+json, the broker routes turn it
 * into a dead-letter entry carrying the code.
 */
public class JembatanException extends RuntimeException {

    private final ErrorCode code;
    private final transient List<FieldError> errors;

    public JembatanException(ErrorCode code, String detail) {
        this(code, detail, List.of(), null);
    }

    public JembatanException(ErrorCode code, String detail, List<FieldError> errors) {
        this(code, detail, errors, null);
    }

    public JembatanException(ErrorCode code, String detail, List<FieldError> errors, Throwable cause) {
        super(detail, cause);
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    /** A rejection for one or more field errors; the first error's code becomes the overall code. */
    public static JembatanException of(List<FieldError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("no errors");
        }
        FieldError first = errors.get(0);
        String detail = errors.size() == 1
                ? first.message()
                : first.message() + " (and " + (errors.size() - 1) + " more)";
        return new JembatanException(first.code(), detail, errors);
    }

    public ErrorCode code() {
        return code;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
