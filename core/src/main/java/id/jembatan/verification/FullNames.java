package id.jembatan.verification;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a full name an agency was given is compared with the registered one: the same person's name as typed at
 * another counter may differ in case, in spaces, and in Unicode form (a full-width letter, a non-breaking space, a
 * ligature), but never in its letters.
 */
final class FullNames {

    /** Every Unicode white space, not only ASCII: names are copied from PDFs and web forms. */
    private static final Pattern WHITE_SPACE = Pattern.compile("\\p{IsWhite_Space}+");

    private FullNames() {
    }

    /** Whether two names are the same name: equal after {@link #comparable}. */
    static boolean same(String a, String b) {
        return a != null && b != null && comparable(a).equals(comparable(b));
    }

    /**
     * The name in the form names are compared in: NFKC (compatibility forms become their ordinary letters and spaces),
     * white space trimmed and each run collapsed to one space, case folded. Case folding goes through upper case
     * first so that letters whose lower case is not unique (the German sharp s, the Greek final sigma) fold alike; NFKC
     * is applied again afterwards because changing case can leave a string that is no longer normalised.
     */
    static String comparable(String name) {
        String normalised = Normalizer.normalize(name, Normalizer.Form.NFKC);
        String spaced = WHITE_SPACE.matcher(normalised).replaceAll(" ").strip();
        String folded = spaced.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        return Normalizer.normalize(folded, Normalizer.Form.NFKC);
    }
}
