package id.jembatan.connector.tax;

import id.jembatan.connector.NikRedaction;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.ValidationEvent;
import jakarta.xml.bind.ValidationEventHandler;
import jakarta.xml.bind.ValidationEventLocator;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

/**
 * Keeps the first error JAXB or the validator reports and stops at it; warnings do not stop anything. One per
 * document.
 */
final class FirstProblem implements ValidationEventHandler, ErrorHandler {

    private String first;

    @Override
    public boolean handleEvent(ValidationEvent event) {
        if (event.getSeverity() == ValidationEvent.WARNING) {
            return true;
        }
        if (first == null) {
            first = describe(event);
        }
        return false;
    }

    /** A warning of the validator while a document is written: JAXB's own handling ignores it too. */
    @Override
    public void warning(SAXParseException exception) {
        // Nothing to refuse.
    }

    /**
     * An error of the validator while a document is written. Like JAXB's own validation, the detail is the
     * message alone: the position is in JAXB's event stream, not in any text someone could look at.
     */
    @Override
    public void error(SAXParseException exception) throws SAXParseException {
        if (first == null) {
            first = NikRedaction.redact(exception.getMessage());
        }
        throw exception;
    }

    @Override
    public void fatalError(SAXParseException exception) throws SAXParseException {
        error(exception);
    }

    String describe(JAXBException e) {
        if (first != null) {
            return first;
        }
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() != null ? cause.getMessage() : e.toString();
        return NikRedaction.redact(message);
    }

    private static String describe(ValidationEvent event) {
        StringBuilder text = new StringBuilder(NikRedaction.redact(String.valueOf(event.getMessage())));
        ValidationEventLocator locator = event.getLocator();
        if (locator != null && locator.getLineNumber() > 0) {
            text.append(" (line ").append(locator.getLineNumber())
                    .append(", column ").append(locator.getColumnNumber()).append(')');
        }
        return text.toString();
    }
}
