package id.jembatan.schema.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a citizen's complaint stands. The bus sets {@link #SUBMITTED} when it is filed and {@link #ESCALATED} when the
 * responsible agency did not acknowledge it within its category's service level; the agency it is routed to sets the
 * others ({@code POST /api/v1/complaints/{trackingNumber}/status}). {@link #RESOLVED} and {@link #REJECTED} are final.
 */
public enum ComplaintStatus {
    SUBMITTED,
    IN_PROGRESS,
    RESOLVED,
    REJECTED,
    FORWARDED,
    ESCALATED;

    /** The statuses an agency may set; the bus sets the others. */
    public static final Set<ComplaintStatus> SET_BY_AGENCIES = EnumSet.of(IN_PROGRESS, RESOLVED, REJECTED, FORWARDED);

    /** Whether the complaint is closed: no status follows. */
    public boolean isFinal() {
        return this == RESOLVED || this == REJECTED;
    }

    /**
     * Whether the responsible agency has not yet acknowledged the complaint: it was filed, forwarded to it or escalated
     * to it, and it has not said anything since.
     */
    public boolean awaitsAcknowledgement() {
        return this == SUBMITTED || this == FORWARDED || this == ESCALATED;
    }

    /**
     * Whether an agency may move a complaint from this status to {@code next}: any open complaint to a status agencies
     * set, except {@code IN_PROGRESS} twice in a row; nothing after a final status.
     */
    public boolean mayChangeTo(ComplaintStatus next) {
        return !isFinal() && SET_BY_AGENCIES.contains(next) && !(this == IN_PROGRESS && next == IN_PROGRESS);
    }
}
