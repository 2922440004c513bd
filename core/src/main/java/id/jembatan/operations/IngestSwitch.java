package id.jembatan.operations;

/**
 * Stops and starts the consumption of the owner agency's inbound queue for an operator; its messages wait in the
 * queue meanwhile, and HTTP ingest is not affected. Implemented by the inbound queue's route, so that operations
 * need neither Camel nor the routes.
 */
public interface IngestSwitch {

    /** Whether an operator has stopped the inbound queue's consumption. */
    boolean isPaused();

    /** Stops consuming the inbound queue. */
    void pause() throws Exception;

    /** Consumes the inbound queue again. */
    void resume() throws Exception;
}
