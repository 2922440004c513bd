package id.jembatan.connector;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;

/** The agency could not be reached or answered that it is unavailable (connection refused, timeout, 5xx). */
public class AgencyUnavailableException extends JembatanException {

    public AgencyUnavailableException(String detail, Throwable cause) {
        super(ErrorCode.AGENCY_UNAVAILABLE, detail, java.util.List.of(), cause);
    }
}
