package id.jembatan.connector.service;

import id.jembatan.connector.NikRedaction;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;

/**
 * The owner answered a question with something that is not a valid answer of its protocol (not well-formed, not
 * valid against its schema, or about another question): nothing of it reaches the caller. The detail is for the log;
 * NIKs in it are masked.
 */
public class OwnerAnswerInvalidException extends JembatanException {

    public OwnerAnswerInvalidException(String detail) {
        super(ErrorCode.OWNER_ANSWER_INVALID, NikRedaction.redact(detail));
    }
}
