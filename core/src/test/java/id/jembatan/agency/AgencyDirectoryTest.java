package id.jembatan.agency;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Agencies' API keys, and a key rotated out with an overlap (a clock the test moves). */
class AgencyDirectoryTest {

    private static final OffsetDateTime RETIRE_AT = OffsetDateTime.of(2026, 12, 31, 0, 0, 0, 0, ZoneOffset.ofHours(7));

    /** A clock the test sets. */
    private static final class TestClock extends Clock {
        private Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /**
     * The tax office rotates its key: the new key in {@code api-keys}, the old one retiring at midnight WIB on
     * 31 December. Result: before that instant both keys sign in as tax; from that instant on only the new one, the
     * old one is refused like an unknown key.
     */
    @Test
    void bothKeysWorkDuringARotationAndTheOldOneStopsAtItsRetirement() {
        TestClock clock = new TestClock(RETIRE_AT.toInstant().minusSeconds(1));
        AgencyDirectory directory = new AgencyDirectory(rotating(), clock);

        assertThat(directory.authenticate("new-tax-key")).hasValue("tax");
        assertThat(directory.authenticate("old-tax-key")).hasValue("tax");

        clock.now = RETIRE_AT.toInstant();
        assertThat(directory.authenticate("new-tax-key")).hasValue("tax");
        assertThat(directory.authenticate("old-tax-key")).isEmpty();
        assertThat(directory.authenticate("other-key")).isEmpty();
    }

    /** A digest both valid and retiring is a configuration mistake: the start stops, naming the key. */
    @Test
    void aRetiringKeyIsNotAlsoACurrentOne() {
        AgenciesSettings both = new AgenciesSettings(Map.of("tax", new AgencySettings(List.of(digest("old-tax-key")),
                List.of(), List.of(), null, null, null,
                List.of(new AgencySettings.RetiringKey(digest("old-tax-key"), RETIRE_AT)), List.of(), false)));

        assertThatThrownBy(() -> new AgencyDirectory(both, Clock.systemUTC()))
                .hasMessageContaining("jembatan.agencies.tax.retiring-api-keys");
    }

    private static AgenciesSettings rotating() {
        return new AgenciesSettings(Map.of("tax", new AgencySettings(List.of(digest("new-tax-key")), List.of(),
                List.of(), null, null, null,
                List.of(new AgencySettings.RetiringKey(digest("old-tax-key"), RETIRE_AT)), List.of(), false)));
    }

    private static String digest(String key) {
        return HexFormat.of().formatHex(AgencyDirectory.sha256(key));
    }
}
