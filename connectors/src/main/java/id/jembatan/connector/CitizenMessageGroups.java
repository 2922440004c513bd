package id.jembatan.connector;

/**
 * The message group ({@code JMSXGroupID}) of a citizen's messages on the broker: the same for all of one citizen's
 * messages, so that they are consumed in order, and never the NIK itself (the broker logs and shows message
 * properties). Implemented by the bus (a keyed hash of the NIK); a connector that sends to the broker itself
 * ({@code jms}) sets it on what it sends.
 */
@FunctionalInterface
public interface CitizenMessageGroups {

    /** The group of the citizen with this NIK. */
    String of(String nik);
}
