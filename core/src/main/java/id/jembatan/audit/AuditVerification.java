package id.jembatan.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Comparator;
import java.util.List;

/**
 * The outcome of walking the audit chain: valid with its length, the hash of its newest entry and each lane's
 * head, or broken at the first entry that was changed, removed or inserted, with the reason.
 *
 * @param lanes the lanes that hold entries, in lane order (valid chains only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditVerification(boolean valid, Long entries, String head, List<Lane> lanes, Long firstBrokenAt,
                                String reason) {

    /**
     * One lane of a valid chain.
     *
     * @param lane    its number
     * @param entries how many entries it holds
     * @param seq     the position of its newest entry
     * @param head    the hash of its newest entry
     */
    public record Lane(int lane, long entries, long seq, String head) {
    }

    static AuditVerification valid(List<Lane> lanes) {
        long entries = lanes.stream().mapToLong(Lane::entries).sum();
        String newest = lanes.stream().max(Comparator.comparingLong(Lane::seq)).map(Lane::head).orElse(null);
        return new AuditVerification(true, entries, newest, lanes, null, null);
    }

    static AuditVerification brokenAt(long position, String reason) {
        return new AuditVerification(false, null, null, null, position, "entry " + position + ": " + reason);
    }
}
