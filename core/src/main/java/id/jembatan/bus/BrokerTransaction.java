package id.jembatan.bus;

import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

/**
 * A consumer's open broker transaction that another part of the bus may send in before committing it: what it sends
 * is committed together with what the consumer took (one commit, one journal sync), or neither is. The outbox relay
 * publishes the inbound queue's applied events this way ({@code OutboxRelay#publishWithin}).
 */
public interface BrokerTransaction {

    /** The transacted session. */
    Session session();

    /** A producer of the session without a destination of its own, sending persistent messages. */
    MessageProducer producer();

    /** Commits the transaction: everything taken and sent in it so far. */
    void commit() throws JMSException;
}
