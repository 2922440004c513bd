package id.jembatan.routes.broker;

import jakarta.jms.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of a {@code jms-batch:} exchange: the messages one consumer took in one broker transaction, in the order
 * the queue gave them. The route processes them and may set some aside for the dead-letter queue; the consumer then
 * sends those there and commits, all in that transaction. If the route fails instead, nothing of the batch is
 * acknowledged or dead-lettered.
 */
public final class JmsBatch {

    /** A message the route refused, and why. */
    record Refusal(Message message, Throwable why) {
    }

    private final List<Message> messages;
    private final List<Refusal> refusals = new ArrayList<>();

    JmsBatch(List<Message> messages) {
        this.messages = List.copyOf(messages);
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

    List<Refusal> refusals() {
        return List.copyOf(refusals);
    }

    /** Camel may log the body of a failed exchange: the count only, never the messages (personal data). */
    @Override
    public String toString() {
        return "JmsBatch of " + messages.size() + " message(s)";
    }
}
