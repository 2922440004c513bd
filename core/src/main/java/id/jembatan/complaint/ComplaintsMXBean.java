package id.jembatan.complaint;

import java.util.Map;

/** {@code id.jembatan:type=Complaints}: citizens' complaints by responsible agency and status. */
public interface ComplaintsMXBean {

    /** {@code agency/STATUS} to the number of complaints, e.g. {@code bansos/SUBMITTED=3}. */
    Map<String, Long> getCountsByAgencyAndStatus();

    /** Complaints not yet resolved or rejected. */
    long getOpen();
}
