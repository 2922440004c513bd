package id.jembatan.connector;

import id.jembatan.schema.error.ErrorCode;

/**
 * The agency refused the event for a reason no retry can change until someone acts at the agency, such as two
 * records for one citizen. The delivery route dead-letters it at the first attempt instead of retrying it: the
 * retries would only delay the citizen's later events (they wait behind it in their message group).
 */
public class AgencyRejectedPermanentlyException extends AgencyRejectedException {

    public AgencyRejectedPermanentlyException(ErrorCode code, String detail, String agencyResponse, Throwable cause) {
        super(code, detail, agencyResponse, cause);
    }
}
