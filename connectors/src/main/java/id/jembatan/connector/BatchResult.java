package id.jembatan.connector;

import java.util.Objects;

/**
 * What an agency did with each event of one batch ({@link AgencyConnector#deliverAll}), by the event's position:
 * delivered (the agency has it), skipped (nothing of it concerns the agency, so it was given nothing), or refused with
 * why ({@link AgencyRejectedException}, or any other failure that concerns that event alone). Not thread-safe: one
 * delivery fills it.
 */
public final class BatchResult {

    private static final RuntimeException SKIPPED = new IllegalStateException("skipped");

    private final RuntimeException[] outcomes;

    /** A result for {@code size} events, all delivered until said otherwise. */
    public BatchResult(int size) {
        this.outcomes = new RuntimeException[size];
    }

    public int size() {
        return outcomes.length;
    }

    /** The event at {@code index} was refused: it alone goes back to the delivery route with {@code why}. */
    public void refuse(int index, RuntimeException why) {
        outcomes[index] = Objects.requireNonNull(why, "why");
    }

    /** The event at {@code index} makes nothing for the agency (no row, no document): not given, not audited. */
    public void skip(int index) {
        outcomes[index] = SKIPPED;
    }

    /** Why the event at {@code index} was refused, or null when it was delivered or skipped. */
    public RuntimeException refusal(int index) {
        RuntimeException outcome = outcomes[index];
        return outcome == SKIPPED ? null : outcome;
    }

    /** Whether the agency was given the event at {@code index}. */
    public boolean delivered(int index) {
        return outcomes[index] == null;
    }
}
