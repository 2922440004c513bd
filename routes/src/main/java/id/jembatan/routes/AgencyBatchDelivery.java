package id.jembatan.routes;

import id.jembatan.connector.AgencyRejectedPermanentlyException;
import id.jembatan.connector.BatchResult;
import id.jembatan.connector.QueueConnector;
import id.jembatan.connector.TraceContext;
import id.jembatan.delivery.DeliveryService;
import id.jembatan.delivery.Subscription;
import id.jembatan.operations.DeliveryMetrics;
import id.jembatan.routes.broker.JmsBatch;
import id.jembatan.schema.bus.BusHeaders;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.EventType;
import id.jembatan.sync.SyncDelivery;
import id.jembatan.trace.EventLogContext;
import id.jembatan.trace.EventTraces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One batch of an agency's events, taken from its queue in one broker transaction ({@link AgencyDeliveryRoute}):
 * each event reduced to the fields the agency may receive ({@link DeliveryService}), handed to the agency together
 * ({@link Target}: its connector's batch form), the delivered ones audited in one commit
 * ({@link SyncDelivery#recordDeliveries}), all before the transaction commits. A sync job's snapshots take the same
 * way, each read from the master index when its batch is delivered; a live event the agency already has in a snapshot
 * is left out (docs/architecture.md, "Sync jobs").
 *
 * <p>A citizen's events stay in order: the batch is delivered in rounds, the first event of each citizen (message
 * group) in the first round, the second in the second, and so on, each round once the one before has ended, so an
 * agency is never handed two events of one citizen at once. An event the agency refuses is retried alone (with the
 * others of its round it refused) {@code delivery.maximum-redeliveries} times, waiting {@code delivery.redelivery-delay}
 * doubling up to {@code delivery.maximum-redelivery-delay}, before the citizen's next event; then it goes to
 * {@code dlq.<agency>} with why when the batch commits. A refusal no retry can change
 * ({@link AgencyRejectedPermanentlyException}), or an event that cannot be read, goes there at once. An agency that
 * cannot take the batch at all, or an audit that cannot be written, fails the whole batch: the consumer rolls it back
 * and takes it again after a back-off (a repeat is harmless: the agencies recognise the event id).
 *
 * <p>Each event's delivery is a span of its own trace, a child of its publication ({@link EventTraces#delivering});
 * while the agency is called, the first event's span is current and that event and the agency are in the logging
 * context, so a connector sends that trace on ({@code traceparent}) and its log lines carry it. With one event in a
 * batch, as when traffic is light, the agency joins exactly that event's trace.
 */
@Component
public class AgencyBatchDelivery {

    /** How events reach one agency: its connector's batch form, or messages for its own queue. */
    @FunctionalInterface
    public interface Target {
        /** Delivers events of different citizens; sends for a queue agency go through {@code batch}. */
        BatchResult deliverAll(List<CitizenEvent> events, JmsBatch batch);
    }

    private final DeliveryService deliveryService;
    private final SyncDelivery syncDelivery;
    private final DeliveryMetrics metrics;
    private final EventTraces traces;

    public AgencyBatchDelivery(DeliveryService deliveryService, SyncDelivery syncDelivery,
                               DeliveryMetrics metrics, EventTraces traces) {
        this.deliveryService = deliveryService;
        this.syncDelivery = syncDelivery;
        this.metrics = metrics;
        this.traces = traces;
    }

    /**
     * An event of the batch on its way: the message it came in, the event as the agency may see it, its span, and
     * for a sync job's snapshot what it is a snapshot of (null for a live event).
     */
    private record Pending(Message message, CitizenEvent event, Span span, SyncDelivery.Snapshot snapshot) {
    }

    /** A message of the batch read: its live event (with the record version it carries) or its snapshot request. */
    private record Read(Message message, CitizenEvent live, Long version, SyncDelivery.Request request) {
    }

    /** A refusal of one pending event in a round. */
    private record Refused(Pending pending, RuntimeException why) {
    }

    /** The route is stopping while refused events wait for their next attempt: the batch is rolled back. */
    static final class StoppedWhileRetrying extends JembatanException {
        StoppedWhileRetrying() {
            super(ErrorCode.AGENCY_UNAVAILABLE, "the delivery route stopped while refused events waited for a retry;"
                    + " the batch goes back to the queue", List.of(), null);
        }
    }

    /**
     * Delivers and audits the batch; the refused events are set aside for the dead-letter queue on {@code batch}.
     *
     * @throws RuntimeException the agency could not take the batch, or its audit entries could not be written:
     *                          nothing of it is acknowledged
     */
    public void deliver(Subscription subscription, Target target, JmsBatch batch) throws JMSException {
        String agency = subscription.agencyId();
        List<Pending> given = new ArrayList<>(batch.messages().size());
        List<List<Pending>> rounds = rounds(subscription, batch);
        try {
            for (List<Pending> round : rounds) {
                deliverRound(subscription, target, batch, round, given);
            }
            syncDelivery.recordDeliveries(agency,
                    given.stream().filter(p -> p.snapshot() == null).map(Pending::event).toList(),
                    given.stream().map(Pending::snapshot).filter(Objects::nonNull).toList());
        } catch (StoppedWhileRetrying stopping) {
            endSpans(rounds, stopping);
            throw stopping;
        } catch (RuntimeException e) {
            metrics.failed(agency, e);
            endSpans(rounds, e);
            throw e;
        }
        endSpans(rounds, null);
        for (Pending p : given) {
            metrics.delivered(agency, p.message().getJMSTimestamp());
        }
    }

    /**
     * The messages' events in rounds: the n-th round holds the n-th event of each citizen, in queue order. A sync
     * job's snapshot is read from the master index now ({@link SyncDelivery#resolve}); a live event the agency already
     * has in a snapshot (its record version not above one the agency got, earlier or in this batch) is left out and
     * acknowledged with the batch, so the agency never receives an older state after a newer one.
     */
    private List<List<Pending>> rounds(Subscription subscription, JmsBatch batch) throws JMSException {
        String agency = subscription.agencyId();
        List<Read> read = new ArrayList<>(batch.messages().size());
        List<SyncDelivery.Request> requests = new ArrayList<>();
        for (Message message : batch.messages()) {
            try {
                if (!(message instanceof TextMessage text)) {
                    throw new JembatanException(ErrorCode.MALFORMED_JSON, "not a text message");
                }
                if (EventType.CITIZEN_SNAPSHOT.wireName().equals(message.getStringProperty(BusHeaders.EVENT_TYPE))) {
                    SyncDelivery.Request request = SyncDelivery.request(text.getText(),
                            message.getStringProperty(BusHeaders.SYNC_ID));
                    requests.add(request);
                    read.add(new Read(message, null, null, request));
                } else {
                    Long version = message.propertyExists(BusHeaders.CITIZEN_VERSION)
                            ? message.getLongProperty(BusHeaders.CITIZEN_VERSION) : null;
                    read.add(new Read(message, deliveryService.prepare(text.getText(), agency), version, null));
                }
            } catch (RuntimeException unreadable) {
                deadLetter(agency, batch, message, unreadable);
            }
        }
        Map<Integer, SyncDelivery.Snapshot> snapshots = syncDelivery.resolve(agency, requests);
        Map<String, Long> highest = new HashMap<>(syncDelivery.watermarks(agency, read.stream()
                .filter(r -> r.version() != null).map(r -> r.live().subjectNik()).toList()));
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<List<Pending>> rounds = new ArrayList<>();
        int requestIndex = 0;
        int superseded = 0;
        for (Read r : read) {
            Message message = r.message();
            CitizenEvent event;
            SyncDelivery.Snapshot snapshot = null;
            if (r.request() != null) {
                snapshot = snapshots.get(requestIndex++);
                if (snapshot == null) {
                    continue;
                }
                event = snapshot.event();
                highest.merge(event.subjectNik(), snapshot.version(), Math::max);
            } else {
                event = r.live();
                Long had = highest.get(event.subjectNik());
                if (r.version() != null && had != null && r.version() <= had) {
                    superseded++;
                    continue;
                }
            }
            String group = message.getStringProperty(BusHeaders.GROUP_ID);
            int round = group == null ? 0 : seen.merge(group, 1, Integer::sum) - 1;
            while (rounds.size() <= round) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(new Pending(message, event, traces.delivering(agency, subscription.queue(),
                    message.getStringProperty(TraceContext.TRACEPARENT), event.eventId(),
                    event.eventType().wireName()), snapshot));
        }
        syncDelivery.superseded(agency, superseded);
        return rounds;
    }

    /** One round: delivered together, the refused retried alone with back-off, then dead-lettered. */
    private void deliverRound(Subscription subscription, Target target, JmsBatch batch, List<Pending> round,
                              List<Pending> given) {
        String agency = subscription.agencyId();
        List<Refused> refused = attempt(agency, target, batch, round, given);
        Duration delay = subscription.delivery().redeliveryDelay();
        Duration longest = subscription.delivery().maximumRedeliveryDelay();
        for (int retry = 1; retry <= subscription.delivery().maximumRedeliveries(); retry++) {
            List<Pending> again = refused.stream()
                    .filter(r -> !(r.why() instanceof AgencyRejectedPermanentlyException))
                    .map(Refused::pending).toList();
            if (again.isEmpty()) {
                break;
            }
            if (!batch.pause(delay)) {
                throw new StoppedWhileRetrying();
            }
            List<Refused> permanent = refused.stream()
                    .filter(r -> r.why() instanceof AgencyRejectedPermanentlyException).toList();
            refused = new ArrayList<>(permanent);
            refused.addAll(attempt(agency, target, batch, again, given));
            delay = delay.multipliedBy(2).compareTo(longest) > 0 ? longest : delay.multipliedBy(2);
        }
        for (Refused r : refused) {
            deadLetter(agency, batch, r.pending().message(), r.why());
            if (r.pending().snapshot() != null) {
                syncDelivery.failed(agency, r.pending().snapshot().syncId(), r.pending().event().subjectNik());
            }
        }
    }

    /** Hands the events to the agency; adds those it was given to {@code given}; returns those it refused. */
    private List<Refused> attempt(String agency, Target target, JmsBatch batch, List<Pending> events,
                                  List<Pending> given) {
        BatchResult result;
        Pending first = events.get(0);
        try (Scope current = first.span().makeCurrent();
             EventLogContext logged = EventLogContext.open(first.event().eventId(), agency)) {
            result = target.deliverAll(events.stream().map(Pending::event).toList(), batch);
        }
        List<Refused> refused = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            RuntimeException why = result.refusal(i);
            if (why != null) {
                metrics.failed(agency, why);
                events.get(i).span().setStatus(StatusCode.ERROR, why.getClass().getSimpleName());
                refused.add(new Refused(events.get(i), why));
            } else if (result.delivered(i)) {
                given.add(events.get(i));
            }
        }
        return refused;
    }

    /** Ends every event's span, marked failed when the whole batch failed ({@code failure} not null). */
    private static void endSpans(List<List<Pending>> rounds, RuntimeException failure) {
        for (List<Pending> round : rounds) {
            for (Pending p : round) {
                if (failure != null) {
                    p.span().setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
                }
                p.span().end();
            }
        }
    }

    private void deadLetter(String agency, JmsBatch batch, Message message, RuntimeException why) {
        metrics.deadLettered(agency);
        batch.deadLetter(message, why);
    }

    /**
     * For an agency that reads a queue of the bus's broker: each event's message is sent to that queue in the
     * batch's transaction (taken and passed on together, or neither); an event it cannot express is refused.
     */
    static BatchResult forward(QueueConnector queue, List<CitizenEvent> events, JmsBatch batch) {
        BatchResult result = new BatchResult(events.size());
        for (int i = 0; i < events.size(); i++) {
            try {
                QueueConnector.QueueMessage message = queue.message(events.get(i));
                batch.send(queue.queue(), message.body(), message.properties());
            } catch (RuntimeException refused) {
                result.refuse(i, refused);
            }
        }
        return result;
    }
}
