package id.jembatan.connector.tax;

import id.jembatan.schema.tax.v1.ObjectFactory;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.Unmarshaller;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.XMLFilterImpl;

import javax.xml.XMLConstants;
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

/**
 * What one document needs that is not thread-safe, for one document at a time. Validation of single documents uses
 * one {@link ValidatorHandler} for both directions instead of JAXB's {@code setSchema}, with which JAXB creates a
 * new validator (and with it Xerces' schema loader) for every document; the events validated are the same. A batch
 * is the exception ({@link #marshalBatch}): there one new validator per batch costs less than a second pass.
 */
final class TaxCodec {

    // Both are immutable and thread-safe once built, and building them is expensive: one of each per JVM.
    private static final JAXBContext CONTEXT = createContext();
    private static final Schema SCHEMA = loadSchema();

    private final Marshaller marshaller;
    private final Marshaller validatingMarshaller;
    private final Unmarshaller unmarshaller;
    private final ValidatorHandler validator;
    private final ValidatingReader reader;

    TaxCodec() {
        try {
            marshaller = CONTEXT.createMarshaller();
            marshaller.setProperty(Marshaller.JAXB_ENCODING, StandardCharsets.UTF_8.name());
            marshaller.setProperty(Marshaller.JAXB_FORMATTED_OUTPUT, Boolean.TRUE);
            validatingMarshaller = CONTEXT.createMarshaller();
            validatingMarshaller.setProperty(Marshaller.JAXB_ENCODING, StandardCharsets.UTF_8.name());
            validatingMarshaller.setProperty(Marshaller.JAXB_FORMATTED_OUTPUT, Boolean.TRUE);
            validatingMarshaller.setSchema(SCHEMA);
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

    /**
     * Validates and writes a whole {@link id.jembatan.schema.tax.v1.TaxpayerBatch} in one pass of JAXB: with
     * {@code setSchema}, JAXB sends the events it writes to its UTF-8 output and to a validator at once, instead of
     * walking the documents twice as {@link #marshal} does. Its cost, a new validator for each call, is paid once per
     * batch. The bytes are returned only if the whole batch is valid.
     */
    byte[] marshalBatch(Object batch, FirstProblem problem) throws JAXBException {
        validatingMarshaller.setEventHandler(problem);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
            validatingMarshaller.marshal(batch, out);
            return out.toByteArray();
        } finally {
            validatingMarshaller.setEventHandler(null);
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

    private static JAXBContext createContext() {
        try {
            return JAXBContext.newInstance(ObjectFactory.class);
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot create the JAXB context of taxpayer.xsd v1", e);
        }
    }

    private static Schema loadSchema() {
        URL xsd = TaxCodec.class.getResource(TaxXml.XSD_RESOURCE);
        if (xsd == null) {
            throw new IllegalStateException(TaxXml.XSD_RESOURCE + " is not on the classpath");
        }
        try (InputStream in = xsd.openStream()) {
            SchemaFactory factory = SchemaFactory.newDefaultInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            // taxpayer.xsd is self-contained: no import, include or DTD may be fetched while compiling it.
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return factory.newSchema(new StreamSource(in, xsd.toExternalForm()));
        } catch (IOException | SAXException e) {
            throw new IllegalStateException("cannot compile " + TaxXml.XSD_RESOURCE, e);
        }
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
}
