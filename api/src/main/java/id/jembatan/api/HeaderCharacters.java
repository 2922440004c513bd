package id.jembatan.api;

import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The header names and values Spring Security's firewall lets through by default, checked character by character
 * rather than with its regular expressions ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*} for a name, the same with the
 * tab for a value): the firewall checks every header each time it is read, and its two {@code Matcher}s per header
 * were a tenth of what a lookup allocated (docs/performance.md). Same rules: a name or value is allowed when each of
 * its code points is assigned in Unicode and not a control character (a value may hold tabs).
 * {@code HeaderCharactersTest} compares both with the firewall's own predicates.
 */
final class HeaderCharacters {

    private HeaderCharacters() {
    }

    /** Spring Security's strict firewall with its default rules, the header checks as above. */
    static StrictHttpFirewall firewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(HeaderCharacters::allowedName);
        firewall.setAllowedHeaderValues(HeaderCharacters::allowedValue);
        return firewall;
    }

    /** As {@link StrictHttpFirewall#ALLOWED_HEADER_NAMES}. */
    static boolean allowedName(String name) {
        return allowed(name, false);
    }

    /** As {@link StrictHttpFirewall#ALLOWED_HEADER_VALUES}. */
    static boolean allowedValue(String value) {
        return allowed(value, true);
    }

    private static boolean allowed(String text, boolean tab) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            // Printable ASCII first: almost every header is nothing else.
            if (c < 0x20 || c > 0x7E) {
                int type = Character.getType(c);
                if (type == Character.UNASSIGNED || (type == Character.CONTROL && !(tab && c == '\t'))) {
                    return false;
                }
            }
            i += Character.charCount(c);
        }
        return true;
    }
}
