package id.jembatan.connector.tax;

import id.jembatan.connector.NikRedaction;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;

/**
 * An incoming tax document that is refused before anything reads its content: not well-formed, a DOCTYPE or
 * entity (never allowed), or not valid against taxpayer.xsd. The detail is safe to answer and to log: NIKs in it
 * are masked.
 */
public class InvalidTaxDocumentException extends JembatanException {

    public InvalidTaxDocumentException(String detail) {
        super(ErrorCode.SCHEMA_VIOLATION, NikRedaction.redact(detail));
    }
}
