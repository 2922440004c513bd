package id.jembatan.ingest;

/**
 * How an event or a request reached the bus; recorded with every applied event and in the audit entries of
 * lookups, verifications and notifications.
 */
public enum Channel {
    /** The v1 HTTP API. */
    HTTP,
    /** The broker: the inbound queue. */
    JMS,
    /** The FHIR lookup server ({@code /fhir/Patient}). */
    FHIR
}
