package id.jembatan.routes.broker;

import id.jembatan.bus.BrokerTransaction;
import jakarta.jms.JMSException;
import jakarta.jms.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The body of a {@code jms-batch:} exchange: the messages one consumer took in one broker transaction, in the order
 * the queue gave them. The route processes them and may set some aside for the dead-letter queue; the consumer then
 * sends those there and commits, all in that transaction (or lets a committer the route named send more and commit:
 * ingest has the outbox relay publish what it applied). If the route fails instead, nothing of the batch is
 * acknowledged or dead-lettered.
 */
public final class JmsBatch {

    /** A message the route refused, and why. */
    record Refusal(Message message, Throwable why) {
    }

    /** A message the route passes on to another queue in the batch's transaction. */
    record Forward(String queue, Object body, Map<String, String> properties) {
    }

    private final List<Message> messages;
    private final List<Refusal> refusals = new ArrayList<>();
    private final List<Forward> forwards = new ArrayList<>();
    private final Predicate<Duration> pause;
    private Committer committer;

    /**
     * @param pause waits the given time unless the consumer is stopping; returns whether it is still running
     */
    JmsBatch(List<Message> messages, Predicate<Duration> pause) {
        this.messages = List.copyOf(messages);
        this.pause = pause;
    }

    JmsBatch(List<Message> messages) {
        this(messages, delay -> true);
    }

    /** The messages, oldest first; at least one. */
    public List<Message> messages() {
        return messages;
    }

    /**
     * Sends {@code message} to the dead-letter queue with why ({@link DeadLetters}) when the batch commits; the other
     * messages are acknowledged as usual.
     */
    public void deadLetter(Message message, Throwable why) {
        if (!messages.contains(message)) {
            throw new IllegalArgumentException("not a message of this batch");
        }
        refusals.add(new Refusal(message, why));
    }

    /**
     * Sends a persistent message to {@code queue} in the batch's transaction, before it commits (taken and passed on
     * together, or neither); sent in the order of these calls.
     *
     * @param body       a {@link String} for a text message, a {@code byte[]} for a bytes message
     * @param properties the message's string properties
     */
    public void send(String queue, Object body, Map<String, String> properties) {
        if (!(body instanceof String) && !(body instanceof byte[])) {
            throw new IllegalArgumentException("a message's body is text or bytes");
        }
        forwards.add(new Forward(queue, body, Map.copyOf(properties)));
    }

    /**
     * Lets {@code committer} commit the batch's transaction, after the consumer has sent what {@link #send} and
     * {@link #deadLetter} asked for: it may send more in the same transaction first (the outbox relay publishes the
     * events the route applied), so one commit carries all of it. Without one, the consumer commits.
     */
    public void commitWith(Committer committer) {
        this.committer = committer;
    }

    /** Commits a batch's broker transaction in the consumer's place ({@link #commitWith}). */
    @FunctionalInterface
    public interface Committer {

        /**
         * Commits {@code transaction}, having sent more in it or not.
         *
         * @return false when the broker rolled the transaction back instead: the batch comes again
         * @throws JMSException when the broker failed: the consumer reconnects, which rolls back what did not commit
         */
        boolean commit(BrokerTransaction transaction) throws JMSException;
    }

    /**
     * Waits {@code delay} with the batch in hand (a retry of some of its messages), unless the route is stopping.
     *
     * @return false when the route is stopping: the caller then fails the batch, which is rolled back
     */
    public boolean pause(Duration delay) {
        return pause.test(delay);
    }

    List<Refusal> refusals() {
        return List.copyOf(refusals);
    }

    Committer committer() {
        return committer;
    }

    List<Forward> forwards() {
        return List.copyOf(forwards);
    }

    /** Camel may log the body of a failed exchange: the count only, never the messages (personal data). */
    @Override
    public String toString() {
        return "JmsBatch of " + messages.size() + " message(s)";
    }
}
