package id.jembatan.connector;

import id.jembatan.schema.model.CitizenEvent;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Delivers canonical events to one agency in its own protocol and format. The delivery route calls it inside the
 * broker transaction in which it took a batch of events from the agency's queue: {@link #deliverAll} returns once the
 * agency has the events it did not refuse, and throws {@link AgencyUnavailableException} when the agency could not
 * take the batch at all (the route rolls the batch back and takes it again after a back-off, without limit: the
 * backlog grows, nothing is lost). An event the agency refused ({@link AgencyRejectedException}) is retried alone the
 * configured number of times and then goes to the agency's dead-letter queue, while the others are acknowledged. The
 * same event may be delivered more than once (at-least-once, a batch taken again): a connector makes a repeat
 * harmless where the protocol allows (event id as idempotency key, conditional update).
 */
public interface AgencyConnector {

    /**
     * Delivers one event.
     *
     * @param event the event, already reduced to the fields the agency may receive (absent fields are null)
     */
    void deliver(CitizenEvent event);

    /**
     * Delivers several events in one exchange with the agency where its protocol has a batch form (a FHIR batch
     * Bundle, a drop file); by default one after another through {@link #deliver}. The delivery route never hands
     * over two events of one citizen in one call (a citizen's next event waits for the outcome of the one before).
     *
     * @param events events of different citizens, each reduced to the fields the agency may receive, oldest first
     * @return what became of each event, by position
     * @throws AgencyUnavailableException the agency could not take the batch; whatever it took of it will come again
     */
    default BatchResult deliverAll(List<CitizenEvent> events) {
        BatchResult result = new BatchResult(events.size());
        for (int i = 0; i < events.size(); i++) {
            try {
                deliver(events.get(i));
            } catch (AgencyUnavailableException down) {
                throw down;
            } catch (RuntimeException refused) {
                result.refuse(i, refused);
            }
        }
        return result;
    }

    /**
     * How the agency takes its batches when the connector type decides that itself (a file drop: one file per
     * interval, from one consumer); empty (the default): the agency's {@code delivery.batch-size},
     * {@code delivery.linger} and {@code delivery.consumers} apply.
     */
    default Optional<Batching> batching() {
        return Optional.empty();
    }

    /**
     * A connector type's own batching.
     *
     * @param size      most events per batch
     * @param linger    how long a batch gathers after its first event
     * @param consumers parallel consumers of the agency's queue
     */
    record Batching(int size, Duration linger, int consumers) {
    }
}
