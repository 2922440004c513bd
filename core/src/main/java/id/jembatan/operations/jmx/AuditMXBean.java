package id.jembatan.operations.jmx;

/** {@code id.jembatan:type=Audit}: the audit chain. */
public interface AuditMXBean {

    /** Entries in the chain. */
    long getEntries();

    /** Walks the chain: "valid: N entries, head …" or "BROKEN at entry N: reason". */
    String verify();
}
