package id.jembatan.api;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The firewall's header checks written out ({@link HeaderCharacters}) decide as Spring Security's own regular
 * expressions do, for every character and for strings mixing them.
 */
class HeaderCharactersTest {

    /**
     * Every code point of Unicode alone, between printable letters, and as a lone surrogate half. Result: the name
     * check and the value check agree with {@link StrictHttpFirewall#ALLOWED_HEADER_NAMES} and
     * {@link StrictHttpFirewall#ALLOWED_HEADER_VALUES} on each.
     */
    @Test
    void everyCharacterIsDecidedAsByTheFirewallsRegularExpressions() {
        List<String> texts = new ArrayList<>();
        for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
            String one = new String(Character.toChars(c));
            texts.add(one);
            texts.add("a" + one + "b");
        }
        texts.add("");
        texts.add("\uD800");
        texts.add("x\uDC00y");
        assertAgree(texts);
    }

    /**
     * Random strings of printable ASCII with now and then a tab, a control character, an unassigned code point,
     * a supplementary character or a non-Latin letter. Result: the same decisions as the firewall's own checks.
     */
    @Test
    void mixedStringsAreDecidedAsByTheFirewallsRegularExpressions() {
        SplittableRandom random = new SplittableRandom(18);
        int[] rare = {'\t', 0x00, 0x1F, 0x7F, 0x85, 0x9F, 0x0378, 0xFFFF, 0x1F600, 0x10FFFF, 0xE9, 0x0627, 0x4E2D,
                0x2028, 0xFEFF};
        List<String> texts = new ArrayList<>();
        for (int n = 0; n < 100_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                text.appendCodePoint(random.nextInt(20) == 0 ? rare[random.nextInt(rare.length)]
                        : 0x20 + random.nextInt(0x5F));
            }
            texts.add(text.toString());
        }
        assertAgree(texts);
    }

    /**
     * The bus's firewall meets a header value with a control character and one with a tab. Result: the first is
     * refused as by Spring Security's default firewall, the second passes.
     */
    @Test
    void theBusesFirewallRefusesAControlCharacterInAHeader() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/citizens/3171014508990001");
        request.addHeader("X-Purpose", "TAXPAYER\u0001REGISTRATION");
        request.addHeader("X-Note", "a\tb");
        var firewalled = HeaderCharacters.firewall().getFirewalledRequest(request);

        assertThat(firewalled.getHeader("X-Note")).isEqualTo("a\tb");
        assertThatThrownBy(() -> firewalled.getHeader("X-Purpose")).isInstanceOf(RequestRejectedException.class);
    }

    private static void assertAgree(List<String> texts) {
        assertSame(texts, HeaderCharacters::allowedName, StrictHttpFirewall.ALLOWED_HEADER_NAMES, "name");
        assertSame(texts, HeaderCharacters::allowedValue, StrictHttpFirewall.ALLOWED_HEADER_VALUES, "value");
    }

    private static void assertSame(List<String> texts, Predicate<String> ours, Predicate<String> springs,
                                   String what) {
        List<String> differing = texts.stream().filter(t -> ours.test(t) != springs.test(t))
                .map(t -> t.codePoints().mapToObj(c -> String.format("U+%04X", c)).toList().toString())
                .limit(10).toList();
        assertThat(differing).as("header %ss decided otherwise than by the firewall", what).isEmpty();
        assertThat(texts.stream().filter(springs)).as("some %ss allowed", what).isNotEmpty();
        assertThat(texts.stream().filter(springs.negate())).as("some %ss refused", what).isNotEmpty();
    }
}
