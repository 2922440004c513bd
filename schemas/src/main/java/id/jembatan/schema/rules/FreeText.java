package id.jembatan.schema.rules;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

/**
 * The rules for the free text the civil registry writes (names, places, addresses, occupations): text that the
 * master index and every agency format (XML, FHIR JSON, CSV, webhooks) hold alike, character for character.
 *
 * <ul>
 *     <li>It is well-formed Unicode: no unpaired surrogate (a lone {@code \ud800} escape), which UTF-8 cannot
 *     encode and which the agency formats would each turn into {@code ?} or refuse ({@link #firstUnpairedSurrogate}).
 *     </li>
 *     <li>It is in Unicode Normalization Form C, so that {@code "é"} and {@code "e" + U+0301} are one name
 *     ({@link #nfc}).</li>
 *     <li>Its length is within the limit however it is counted ({@link #checkLength}): JSON Schema and PostgreSQL
 *     count code points, but the JDK's XML Schema validator (taxpayer.xsd's {@code maxLength}, at the bus and very
 *     likely at the tax office) and H2 count UTF-16 code units, in which a character outside the Basic
 *     Multilingual Plane (an emoji, a rare CJK ideograph) counts twice. The larger count is the one that holds
 *     everywhere.</li>
 *     <li>It holds no character of the general categories Cc (control), Cf (format: zero-width, bidirectional
 *     overrides such as U+202E, the BOM U+FEFF, soft hyphen), Zl and Zp (U+2028, U+2029), Co (private use), Cn
 *     (unassigned in the Unicode version of the bus's Java runtime) or Cs (surrogates): characters that are
 *     invisible, reorder what a reader sees, break lines in logs and files, or mean nothing outside one system
 *     ({@link #check}).</li>
 * </ul>
 */
public final class FreeText {

    private FreeText() {
    }

    /** The index of the first unpaired surrogate in {@code text}, or -1 when it is well-formed UTF-16. */
    public static int firstUnpairedSurrogate(CharSequence text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code text} in Unicode Normalization Form C; the same instance when it already is. */
    public static String nfc(String text) {
        return Normalizer.isNormalized(text, Normalizer.Form.NFC) ? text
                : Normalizer.normalize(text, Normalizer.Form.NFC);
    }

    /** Whether {@code codePoint} may not appear in names, places and addresses (see the class comment). */
    public static boolean isForbidden(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.PRIVATE_USE, Character.UNASSIGNED, Character.SURROGATE -> true;
            default -> false;
        };
    }

    /**
     * The first forbidden character of {@code text} as a {@code FORBIDDEN_CHARACTER} at {@code pointer}, or nothing.
     * The message names the character by code point, Unicode name and category, never by quoting the text: the
     * text is personal data, and the character itself may be one that reorders or hides what follows it.
     */
    public static List<FieldError> check(String text, String pointer, String field) {
        if (text == null) {
            return List.of();
        }
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (isForbidden(codePoint)) {
                return List.of(new FieldError(ErrorCode.FORBIDDEN_CHARACTER, pointer, field + " contains "
                        + describe(codePoint) + " at character " + (text.codePointCount(0, i) + 1)
                        + ": names, places and addresses may not contain control, format (zero-width, direction),"
                        + " line or paragraph separator, private-use or unassigned characters"));
            }
            i += Character.charCount(codePoint);
        }
        return List.of();
    }

    /**
     * {@code TEXT_TOO_LONG} at {@code pointer} if {@code text} has more than {@code maxLength} UTF-16 code units
     * (see the class comment); the schema has already held its code points to the same limit.
     */
    public static List<FieldError> checkLength(String text, int maxLength, String pointer, String field) {
        if (text == null || text.length() <= maxLength) {
            return List.of();
        }
        return List.of(new FieldError(ErrorCode.TEXT_TOO_LONG, pointer, field + " has " + text.length()
                + " UTF-16 code units; at most " + maxLength + " are allowed: a character outside the Basic"
                + " Multilingual Plane (such as an emoji) counts as two, as the agencies' XML validators count"));
    }

    /** {@code U+202E RIGHT-TO-LEFT OVERRIDE (format)}: the code point, its name if it has one, its category. */
    static String describe(int codePoint) {
        String name = Character.getName(codePoint);
        return String.format(Locale.ROOT, "U+%04X", codePoint) + (name == null ? "" : " " + name)
                + " (" + category(codePoint) + ")";
    }

    private static String category(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL -> "control";
            case Character.FORMAT -> "format";
            case Character.LINE_SEPARATOR -> "line separator";
            case Character.PARAGRAPH_SEPARATOR -> "paragraph separator";
            case Character.PRIVATE_USE -> "private use";
            case Character.UNASSIGNED -> "unassigned";
            case Character.SURROGATE -> "surrogate";
            default -> "allowed";
        };
    }
}
