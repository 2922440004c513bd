package id.jembatan.connector;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;

/**
 * The agency refused this particular event (4xx, a validation error of its own), or the event cannot be put into
 * the agency's format. Retrying may not help; after the configured attempts it is dead-lettered with this detail.
 */
public class AgencyRejectedException extends JembatanException {

    public AgencyRejectedException(ErrorCode code, String detail, Throwable cause) {
        super(code, detail, java.util.List.of(), cause);
    }

    public AgencyRejectedException(String detail) {
        this(ErrorCode.AGENCY_REJECTED, detail, null);
    }
}
