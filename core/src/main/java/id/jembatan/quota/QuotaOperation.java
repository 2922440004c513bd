package id.jembatan.quota;

import java.util.Locale;

/**
 * What an agency spends a quota on. Each has its own quotas per agency and purpose ({@code jembatan.quotas}); the
 * audit chain records the same operations, so that what was counted against a quota can be metered from it.
 */
public enum QuotaOperation {
    /** Reading a citizen: {@code GET /api/v1/citizens/{nik}} and FHIR {@code Patient?identifier=} together. */
    LOOKUP,
    /** {@code POST /api/v1/citizens/verify}. */
    VERIFICATION,
    /** {@code POST /api/v1/notifications}. */
    NOTIFICATION,
    /** A question to an owner service (the tax office's taxpayer status, ...), whichever way it comes. */
    OWNER_SERVICE;

    /** How the configuration and the problem detail write it: {@code owner-service}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The wire name: a settings problem names the key as the operator wrote it ({@code defaults.owner-service}). */
    @Override
    public String toString() {
        return wireName();
    }
}
