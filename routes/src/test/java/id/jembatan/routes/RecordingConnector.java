package id.jembatan.routes;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.BatchResult;
import id.jembatan.schema.model.CitizenEvent;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * A connector for route tests: records every call (which event, when) and answers as the test scripts it, by the
 * number of the call: delivered, or one of the connector SPI's failures. No protocol, no agency behind it.
 */
final class RecordingConnector implements AgencyConnector {

    /** One call of {@link #deliver}: the event it was given and {@link System#nanoTime()} when. */
    record Call(UUID eventId, long nanos) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<List<UUID>> batches = new CopyOnWriteArrayList<>();
    private volatile IntFunction<RuntimeException> failure = call -> null;

    @Override
    public void deliver(CitizenEvent event) {
        int number = calls.size() + 1;
        calls.add(new Call(event.eventId(), System.nanoTime()));
        RuntimeException outcome = failure.apply(number);
        if (outcome != null) {
            throw outcome;
        }
    }

    /** Records which events the route handed over together, then delivers them one by one as the SPI's default. */
    @Override
    public BatchResult deliverAll(List<CitizenEvent> events) {
        batches.add(events.stream().map(CitizenEvent::eventId).toList());
        return AgencyConnector.super.deliverAll(events);
    }

    /** From now on, call number {@code n} (counted from 1 since the last {@link #reset}) throws what this returns. */
    void answer(IntFunction<RuntimeException> failureOfCall) {
        this.failure = failureOfCall;
    }

    /** Forgets the calls; every call is delivered. */
    void reset() {
        calls.clear();
        batches.clear();
        failure = call -> null;
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The event ids of each {@link #deliverAll} call, in the order of the calls. */
    List<List<UUID>> batches() {
        return List.copyOf(batches);
    }

    long callsFor(UUID eventId) {
        return calls.stream().filter(c -> c.eventId().equals(eventId)).count();
    }
}
