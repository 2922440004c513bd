package id.jembatan.operations;

/**
 * Stops and starts the consumption of one agency's queue for an operator; events keep arriving in the queue while it
 * is stopped, nothing is lost. Implemented where the delivery routes live, so that operations need neither Camel nor
 * the routes.
 */
public interface DeliverySwitch {

    /** Whether delivery to the agency is stopped. */
    boolean paused(String agency);

    /** Stops consuming the agency's queue. */
    void pause(String agency) throws Exception;

    /** Consumes the agency's queue again. */
    void resume(String agency) throws Exception;
}
