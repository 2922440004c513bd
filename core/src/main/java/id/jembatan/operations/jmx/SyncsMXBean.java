package id.jembatan.operations.jmx;

/**
 * {@code id.jembatan:type=Syncs}: starts sync jobs from JConsole or Hawtio, as
 * {@code POST /api/v1/operations/agencies/{agency}/syncs} does; each job then has its own {@link SyncMXBean}.
 */
public interface SyncsMXBean {

    /**
     * Sends the agency every citizen's current record.
     *
     * @param ratePerSecond at most this many citizens a second; 0: as fast as the agency takes them
     * @return the job's id
     */
    String startSync(String agency, int ratePerSecond);

    /**
     * Sends the agency the current record of every citizen whose address region code starts with
     * {@code regionPrefix} (a province, regency, district or village code).
     *
     * @return the job's id
     */
    String startRegionSync(String agency, String regionPrefix, int ratePerSecond);
}
