package id.jembatan.schema.model;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * An operator's request for a sync job ({@code POST /api/v1/operations/agencies/{agency}/syncs}): which citizens,
 * and how fast at most.
 *
 * @param scope         which citizens
 * @param ratePerSecond at most this many citizens a second; null: as fast as the agency takes them
 */
public record SyncRequest(Scope scope, Integer ratePerSecond) {

    /**
     * Exactly one of: every citizen, those whose address region code starts with a prefix, a list of NIKs, those whose
     * record changed at or after an instant.
     */
    public record Scope(Boolean all, String regionPrefix, List<String> niks, OffsetDateTime changedSince) {

        public Scope {
            niks = niks == null ? null : List.copyOf(niks);
        }

        /** Every citizen. */
        public static Scope everyone() {
            return new Scope(true, null, null, null);
        }
    }
}
