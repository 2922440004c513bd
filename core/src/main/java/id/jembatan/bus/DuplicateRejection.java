package id.jembatan.bus;

import jakarta.jms.JMSException;
import org.apache.activemq.artemis.api.core.ActiveMQDuplicateIdException;

/**
 * Tells a broker transaction refused because the broker already holds one of its messages' duplicate-detection ids
 * ({@code _AMQ_DUPL_ID}): Artemis then rolls the whole transaction back, and a sender that may repeat itself (the
 * outbox relay, a sync job resuming after a crash) sends the same messages again one by one, without a
 * transaction, so that the broker drops only the repeats.
 */
public final class DuplicateRejection {

    private DuplicateRejection() {
    }

    /** Whether {@code e}, or a cause or linked exception of it, is Artemis' duplicate-id refusal. */
    public static boolean is(JMSException e) {
        for (Throwable t = e; t != null; t = t.getCause() != null ? t.getCause()
                : t instanceof JMSException j ? j.getLinkedException() : null) {
            if (t instanceof ActiveMQDuplicateIdException) {
                return true;
            }
        }
        return false;
    }
}
