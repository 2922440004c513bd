package id.jembatan.connector.tax;

import id.jembatan.connector.NikRedaction;

import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.tax.v1.ObjectFactory;
import id.jembatan.schema.tax.v1.TaxpayerChange;
import id.jembatan.schema.tax.v1.TaxpayerRegistration;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.Unmarshaller;
import jakarta.xml.bind.ValidationEvent;
import jakarta.xml.bind.ValidationEventHandler;
import jakarta.xml.bind.ValidationEventLocator;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.XMLFilterImpl;

import javax.xml.XMLConstants;
import javax.xml.datatype.DatatypeConstants;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.datatype.XMLGregorianCalendar;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.transform.sax.SAXSource;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.ValidatorHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Documents of the tax office's v1 format (taxpayer.xsd) in and out: the bus's registrations and changes are
 * marshalled only if they are valid against the XSD, and incoming documents (the sandbox's side) are parsed with
 * DTDs and external entities refused, then validated against the same XSD.
 */
public final class TaxXml {

    /** The target namespace of taxpayer.xsd v1. */
    public static final String NAMESPACE = "https://jembatan.id/schemas/tax/v1";
    /** Where the XSD lives on the classpath (in the schemas module) and where the bus publishes it. */
    public static final String XSD_RESOURCE = "/schemas/tax/v1/taxpayer.xsd";
    /** The media type documents travel with in both directions. */
    public static final String MEDIA_TYPE = "application/xml";

    // Both are immutable and thread-safe once built, and building them is expensive: one of each per JVM.
    private static final JAXBContext CONTEXT = createContext();
    private static final Schema SCHEMA = loadSchema();
    // The JDK's built-in factory keeps no state between calls, so one instance serves every thread.
    private static final DatatypeFactory DATATYPES = DatatypeFactory.newDefaultInstance();
    /**
     * Codecs not in use. Each serves one document at a time and is taken back after it, so there are at most as many
     * as documents were ever handled at once (a handful of consumer and sandbox threads), whatever kind of threads
     * call: building one (a parser, a validator, a marshaller and an unmarshaller) cost more than the document.
     * Last in, first out: a thread that handles one document after another keeps using the same, warm codec.
     */
    private static final Deque<Codec> IDLE = new ConcurrentLinkedDeque<>();

    private TaxXml() {
    }

    /**
     * The document as UTF-8 XML, validated against taxpayer.xsd before it is written, so that the bus never sends a
     * document the tax office would have to refuse.
     *
     * @param document a {@link TaxpayerRegistration} or {@link TaxpayerChange}
     * @throws AgencyRejectedException with {@link ErrorCode#TRANSLATION_FAILED} if the document is not valid; the
     *                                 detail names the first problem, with NIKs masked
     */
    public static byte[] marshal(Object document) {
        requireRoot(document);
        FirstProblem problem = new FirstProblem();
        Codec codec = take();
        try {
            byte[] xml = codec.marshal(document, problem);
            give(codec);
            return xml;
        } catch (JAXBException e) {
            give(codec);
            // The cause is left out on purpose: its message quotes the offending value, which may be a NIK.
            throw new AgencyRejectedException(ErrorCode.TRANSLATION_FAILED, NikRedaction.redact(
                    document.getClass().getSimpleName() + " " + messageId(document)
                            + " does not match taxpayer.xsd: " + problem.describe(e)), null);
        }
    }

    /**
     * Parses and validates one incoming document. A DOCTYPE is refused outright (which rules out external entities,
     * external DTDs and entity expansion bombs alike) and nothing is ever fetched from outside.
     *
     * @return a {@link TaxpayerRegistration} or {@link TaxpayerChange}
     * @throws InvalidTaxDocumentException if the bytes are not a well-formed, DOCTYPE-free document valid against
     *                                     taxpayer.xsd
     */
    public static Object unmarshal(byte[] xml) {
        FirstProblem problem = new FirstProblem();
        Codec codec = take();
        Object document;
        try {
            document = codec.unmarshal(xml, problem);
            give(codec);
        } catch (JAXBException e) {
            give(codec);
            throw new InvalidTaxDocumentException("not a valid taxpayer.xsd v1 document: " + problem.describe(e));
        }
        if (!(document instanceof TaxpayerRegistration) && !(document instanceof TaxpayerChange)) {
            throw new InvalidTaxDocumentException("not a TaxpayerRegistration or TaxpayerChange");
        }
        return document;
    }

    /** The MessageId of a {@link TaxpayerRegistration} or {@link TaxpayerChange}: the idempotency key. */
    public static String messageId(Object document) {
        requireRoot(document);
        return document instanceof TaxpayerRegistration registration
                ? registration.getMessageId()
                : ((TaxpayerChange) document).getMessageId();
    }

    /** The NIK of the taxpayer a {@link TaxpayerRegistration} or {@link TaxpayerChange} is about. */
    public static String nik(Object document) {
        requireRoot(document);
        if (document instanceof TaxpayerRegistration registration) {
            return registration.getTaxpayer() == null ? null : registration.getTaxpayer().getNik();
        }
        return ((TaxpayerChange) document).getNik();
    }

    /** An {@code xs:date} value (no time zone). */
    public static XMLGregorianCalendar date(LocalDate date) {
        return date == null ? null : DATATYPES.newXMLGregorianCalendarDate(date.getYear(), date.getMonthValue(),
                date.getDayOfMonth(), DatatypeConstants.FIELD_UNDEFINED);
    }

    /** An {@code xs:dateTime} value with seconds and the offset of {@code timestamp}, as the XSD's Timestamp asks. */
    public static XMLGregorianCalendar timestamp(OffsetDateTime timestamp) {
        // ISO_OFFSET_DATE_TIME always writes the seconds, which OffsetDateTime.toString() leaves out when zero.
        return timestamp == null ? null
                : DATATYPES.newXMLGregorianCalendar(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(timestamp));
    }

    /** The calendar date of an {@code xs:date} value. */
    public static LocalDate localDate(XMLGregorianCalendar date) {
        return date == null ? null : LocalDate.of(date.getYear(), date.getMonth(), date.getDay());
    }

    /** The instant and offset of an {@code xs:dateTime} value that carries an offset. */
    public static OffsetDateTime offsetDateTime(XMLGregorianCalendar timestamp) {
        return timestamp == null ? null : OffsetDateTime.parse(timestamp.toXMLFormat());
    }

    private static void requireRoot(Object document) {
        if (!(document instanceof TaxpayerRegistration) && !(document instanceof TaxpayerChange)) {
            throw new IllegalArgumentException("not a taxpayer.xsd root: "
                    + (document == null ? "null" : document.getClass().getName()));
        }
    }

    /** An idle codec, or a new one when every codec is busy. */
    private static Codec take() {
        Codec codec = IDLE.pollFirst();
        return codec != null ? codec : new Codec();
    }

    /**
     * Puts a codec back for the next document, after a valid document or a refused one alike: each use starts from a
     * reset parser, validator and unmarshaller with handlers of its own. A codec whose use ended in anything else (an
     * unexpected runtime exception) is never given back, so an unknown state cannot reach another document.
     */
    private static void give(Codec codec) {
        IDLE.offerFirst(codec);
    }

    /**
     * A namespace-aware, non-validating SAX reader of the JDK's own parser (never one that happens to be on the
     * classpath, which might ignore these features), configured as the OWASP XXE guidance asks.
     */
    private static XMLReader hardenedReader() {
        try {
            SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setValidating(false);
            factory.setXIncludeAware(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            SAXParser parser = factory.newSAXParser();
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return parser.getXMLReader();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's SAX parser does not support the XXE protections", e);
        }
    }

    private static JAXBContext createContext() {
        try {
            return JAXBContext.newInstance(ObjectFactory.class);
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot create the JAXB context of taxpayer.xsd v1", e);
        }
    }

    private static Schema loadSchema() {
        URL xsd = TaxXml.class.getResource(XSD_RESOURCE);
        if (xsd == null) {
            throw new IllegalStateException(XSD_RESOURCE + " is not on the classpath");
        }
        try (InputStream in = xsd.openStream()) {
            SchemaFactory factory = SchemaFactory.newDefaultInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            // taxpayer.xsd is self-contained: no import, include or DTD may be fetched while compiling it.
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return factory.newSchema(new StreamSource(in, xsd.toExternalForm()));
        } catch (IOException | SAXException e) {
            throw new IllegalStateException("cannot compile " + XSD_RESOURCE, e);
        }
    }

    /**
     * What one document needs that is not thread-safe, for one document at a time. Validation uses one
     * {@link ValidatorHandler} for both directions instead of JAXB's {@code setSchema}, with which JAXB creates a
     * new validator (and with it Xerces' schema loader) for every document; the events validated are the same.
     */
    private static final class Codec {

        private final Marshaller marshaller;
        private final Unmarshaller unmarshaller;
        private final ValidatorHandler validator;
        private final ValidatingReader reader;

        Codec() {
            try {
                marshaller = CONTEXT.createMarshaller();
                marshaller.setProperty(Marshaller.JAXB_ENCODING, StandardCharsets.UTF_8.name());
                marshaller.setProperty(Marshaller.JAXB_FORMATTED_OUTPUT, Boolean.TRUE);
                unmarshaller = CONTEXT.createUnmarshaller();
            } catch (JAXBException e) {
                throw new IllegalStateException("cannot create a JAXB marshaller for taxpayer.xsd v1", e);
            }
            validator = SCHEMA.newValidatorHandler();
            reader = new ValidatingReader(hardenedReader(), validator);
        }

        /**
         * Validates the document as the SAX events JAXB writes (what {@code setSchema} does, into a validator of
         * its own), and only if it is valid writes it out.
         */
        byte[] marshal(Object document, FirstProblem problem) throws JAXBException {
            marshaller.setEventHandler(problem);
            validator.setErrorHandler(problem);
            validator.setContentHandler(null);
            try {
                marshaller.marshal(document, validator);
                ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
                marshaller.marshal(document, out);
                return out.toByteArray();
            } finally {
                marshaller.setEventHandler(null);
                validator.setErrorHandler(null);
            }
        }

        /** JAXB reads from the hardened parser through the validator, and reports both to {@code problem}. */
        Object unmarshal(byte[] xml, FirstProblem problem) throws JAXBException {
            unmarshaller.setEventHandler(problem);
            try {
                return unmarshaller.unmarshal(new SAXSource(reader, new InputSource(new ByteArrayInputStream(xml))));
            } finally {
                unmarshaller.setEventHandler(null);
            }
        }
    }

    /**
     * The hardened parser with the validator between it and whoever reads it (JAXB): the reader's content and error
     * handlers receive the validated events and both the parser's and the validator's errors. Holds on to neither
     * handler after a parse.
     */
    private static final class ValidatingReader extends XMLFilterImpl {

        private final ValidatorHandler validator;

        ValidatingReader(XMLReader parser, ValidatorHandler validator) {
            super(parser);
            this.validator = validator;
        }

        @Override
        public void parse(InputSource input) throws SAXException, IOException {
            XMLReader parser = getParent();
            validator.setContentHandler(getContentHandler());
            validator.setErrorHandler(getErrorHandler());
            parser.setContentHandler(validator);
            parser.setErrorHandler(getErrorHandler());
            try {
                parser.parse(input);
            } finally {
                parser.setContentHandler(null);
                parser.setErrorHandler(null);
                validator.setContentHandler(null);
                validator.setErrorHandler(null);
                setContentHandler(null);
                setErrorHandler(null);
            }
        }

        @Override
        public void parse(String systemId) {
            throw new UnsupportedOperationException("tax documents are parsed from their bytes, never fetched");
        }
    }

    /**
     * Keeps the first error JAXB or the validator reports and stops at it; warnings do not stop anything. One per
     * document.
     */
    private static final class FirstProblem implements ValidationEventHandler, ErrorHandler {

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
}
