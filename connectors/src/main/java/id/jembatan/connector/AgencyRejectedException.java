package id.jembatan.connector;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;

/**
 * The agency refused this particular event (4xx, a validation error of its own), or the event cannot be put into
 * the agency's format. Retrying may not help; after the configured attempts it is dead-lettered with this detail.
 */
public class AgencyRejectedException extends JembatanException {

    private final transient String agencyResponse;

    public AgencyRejectedException(ErrorCode code, String detail, Throwable cause) {
        this(code, detail, null, cause);
    }

    /**
     * @param agencyResponse what the agency answered (for a FHIR server its OperationOutcome as JSON), with personal
     *                       data already masked, for the dead letter; null when there is nothing to show
     */
    public AgencyRejectedException(ErrorCode code, String detail, String agencyResponse, Throwable cause) {
        super(code, detail, java.util.List.of(), cause);
        this.agencyResponse = agencyResponse;
    }

    public AgencyRejectedException(String detail) {
        this(ErrorCode.AGENCY_REJECTED, detail, null);
    }

    /** The agency's own answer to the refused delivery (masked), or null. */
    public String agencyResponse() {
        return agencyResponse;
    }
}
