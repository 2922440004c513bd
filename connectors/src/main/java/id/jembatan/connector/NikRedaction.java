package id.jembatan.connector;

import id.jembatan.schema.rules.Nik;

import java.util.regex.Pattern;

/** Text that leaves a connector (exception details, log lines, sandbox answers) with every NIK masked. */
public final class NikRedaction {

    /**
     * Any run of 12 or more digits: a NIK or family card number (16), a legacy NPWP without separators (15) or a
     * mistyped NIK that a validator quotes back. Region codes (at most 10 digits) stay readable.
     */
    private static final Pattern IDENTIFIER = Pattern.compile("[0-9]{12,}");

    private NikRedaction() {
    }

    /** {@code text} with each identifier masked as {@link Nik#mask} does; {@code null} stays {@code null}. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        return IDENTIFIER.matcher(text).replaceAll(match -> Nik.mask(match.group()));
    }
}
