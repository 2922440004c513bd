package id.jembatan.bus;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class MessageGroupsTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String NIK = "3171014508990001";

    /** The group is 32 hex digits derived from the NIK, and shows no part of it. */
    @Test
    void theGroupIsAKeyedHashThatShowsNoNik() {
        String group = new MessageGroups(KEY).of(NIK);

        assertThat(group).matches("[0-9a-f]{32}").doesNotContain(NIK).doesNotContain(NIK.substring(6))
                .doesNotContain(NIK.substring(0, 6));
    }

    /**
     * The same key gives the same group for a citizen, as every bus instance on one database must; another key
     * another group, so the group cannot be recomputed from the NIK without the key.
     */
    @Test
    void theSameKeyGivesTheSameGroup() {
        assertThat(new MessageGroups(KEY).of(NIK)).isEqualTo(new MessageGroups(KEY.clone()).of(NIK));
        byte[] other = KEY.clone();
        other[0] ^= 1;
        assertThat(new MessageGroups(other).of(NIK)).isNotEqualTo(new MessageGroups(KEY).of(NIK));
    }

    /** Neighbouring NIKs (the same region and birth date, the next serial) get unrelated groups. */
    @Test
    void eachCitizenHasAGroupOfItsOwn() {
        MessageGroups groups = new MessageGroups(KEY);
        Set<String> seen = new HashSet<>();
        for (int serial = 1; serial <= 2000; serial++) {
            seen.add(groups.of(NIK.substring(0, 12) + String.format("%04d", serial)));
        }
        assertThat(seen).hasSize(2000);
    }

    /** Threads share one instance (the relay, the notifications, every delivery consumer) and agree. */
    @Test
    void threadsAgree() {
        MessageGroups groups = new MessageGroups(KEY);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 10_000).parallel().forEach(i -> seen.add(groups.of(NIK)));
        assertThat(seen).containsExactly(groups.of(NIK));
    }
}
