package id.jembatan.connector.tax;

import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.connector.NikRedaction;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.tax.v1.TaxpayerAddressReport;
import id.jembatan.schema.tax.v1.TaxpayerBatch;
import id.jembatan.schema.tax.v1.TaxpayerBatchResult;
import id.jembatan.schema.tax.v1.TaxpayerChange;
import id.jembatan.schema.tax.v1.TaxpayerRegistration;
import id.jembatan.schema.tax.v1.TaxpayerStatusRequest;
import id.jembatan.schema.tax.v1.TaxpayerStatusResponse;
import jakarta.xml.bind.JAXBException;

import javax.xml.datatype.DatatypeConstants;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.datatype.XMLGregorianCalendar;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
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

    // The JDK's built-in factory keeps no state between calls, so one instance serves every thread.
    private static final DatatypeFactory DATATYPES = DatatypeFactory.newDefaultInstance();
    /**
     * Codecs not in use. Each serves one document at a time and is taken back after it, so there are at most as many
     * as documents were ever handled at once (a handful of consumer and sandbox threads), whatever kind of threads
     * call: building one (a parser, a validator, a marshaller and an unmarshaller) cost more than the document.
     * Last in, first out: a thread that handles one document after another keeps using the same, warm codec.
     */
    private static final Deque<TaxCodec> IDLE = new ConcurrentLinkedDeque<>();
    /** The most documents in one {@link TaxpayerBatch} (the XSD's bound). */
    public static final int MAX_BATCH = 1000;
    private static final byte[] DECLARATION = "<?xml".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DECLARATION_END = "?>".getBytes(StandardCharsets.US_ASCII);

    private TaxXml() {
    }

    /**
     * The document as UTF-8 XML, validated against taxpayer.xsd before it is written, so that the bus never sends a
     * document the tax office would have to refuse.
     *
     * @param document a {@link TaxpayerRegistration}, {@link TaxpayerChange} or {@link TaxpayerStatusRequest}, or
     *                 (the tax office's answers) a {@link TaxpayerBatchResult} or {@link TaxpayerStatusResponse}
     * @throws AgencyRejectedException with {@link ErrorCode#TRANSLATION_FAILED} if the document is not valid; the
     *                                 detail names the first problem, with NIKs masked
     */
    public static byte[] marshal(Object document) {
        boolean question = document instanceof TaxpayerStatusRequest || document instanceof TaxpayerStatusResponse
                || document instanceof TaxpayerAddressReport;
        if (!(document instanceof TaxpayerBatchResult) && !question) {
            requireRoot(document);
        }
        FirstProblem problem = new FirstProblem();
        try {
            return withCodec(codec -> codec.marshal(document, problem));
        } catch (JAXBException e) {
            throw notValid(document.getClass().getSimpleName() + (document instanceof TaxpayerBatchResult || question
                    ? "" : " " + messageId(document)), problem, e);
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
        Object document = parse(xml);
        if (!(document instanceof TaxpayerRegistration) && !(document instanceof TaxpayerChange)) {
            throw new InvalidTaxDocumentException("not a TaxpayerRegistration or TaxpayerChange");
        }
        return document;
    }

    /**
     * Parses and validates what a client may POST to the tax office, as {@link #unmarshal} does: one document, or
     * several in a {@link TaxpayerBatch}.
     *
     * @return a {@link TaxpayerRegistration}, {@link TaxpayerChange} or {@link TaxpayerBatch}
     */
    public static Object unmarshalRequest(byte[] xml) {
        Object document = parse(xml);
        if (!(document instanceof TaxpayerRegistration) && !(document instanceof TaxpayerChange)
                && !(document instanceof TaxpayerBatch)) {
            throw new InvalidTaxDocumentException("not a TaxpayerRegistration, TaxpayerChange or TaxpayerBatch");
        }
        return document;
    }

    /** Parses and validates the tax office's answer to a {@link TaxpayerBatch}, as {@link #unmarshal} does. */
    public static TaxpayerBatchResult unmarshalBatchResult(byte[] xml) {
        if (parse(xml) instanceof TaxpayerBatchResult result) {
            return result;
        }
        throw new InvalidTaxDocumentException("not a TaxpayerBatchResult");
    }

    /** Parses and validates a {@link TaxpayerStatusRequest} (the tax office's side), as {@link #unmarshal} does. */
    public static TaxpayerStatusRequest unmarshalStatusRequest(byte[] xml) {
        if (parse(xml) instanceof TaxpayerStatusRequest request) {
            return request;
        }
        throw new InvalidTaxDocumentException("not a TaxpayerStatusRequest");
    }

    /** Parses and validates a {@link TaxpayerAddressReport} the tax office sends the bus, as {@link #unmarshal} does. */
    public static TaxpayerAddressReport unmarshalAddressReport(byte[] xml) {
        if (parse(xml) instanceof TaxpayerAddressReport report) {
            return report;
        }
        throw new InvalidTaxDocumentException("not a TaxpayerAddressReport");
    }

    /** Parses and validates the tax office's {@link TaxpayerStatusResponse}, as {@link #unmarshal} does. */
    public static TaxpayerStatusResponse unmarshalStatusResponse(byte[] xml) {
        if (parse(xml) instanceof TaxpayerStatusResponse response) {
            return response;
        }
        throw new InvalidTaxDocumentException("not a TaxpayerStatusResponse");
    }

    /**
     * One {@link TaxpayerBatch} of documents not yet written, validated against taxpayer.xsd as one document while
     * it is written, in one pass: the validator starts once for the batch instead of once for each document (about a
     * tenth of the tax office's delivery CPU), and the documents are walked once instead of twice. An invalid batch
     * is refused as a whole; which document is at fault, and why, {@link #marshal} says for each one (the connector
     * then sends the valid ones with {@link #batch}).
     *
     * @param documents between 1 and 1000 {@link TaxpayerRegistration}s and {@link TaxpayerChange}s
     * @throws AgencyRejectedException with {@link ErrorCode#TRANSLATION_FAILED} if any document is not valid
     */
    public static byte[] marshalBatch(List<?> documents) {
        if (documents.isEmpty() || documents.size() > MAX_BATCH) {
            throw new IllegalArgumentException("a TaxpayerBatch holds 1 to " + MAX_BATCH + " documents, not "
                    + documents.size());
        }
        TaxpayerBatch batch = new TaxpayerBatch();
        for (Object document : documents) {
            requireRoot(document);
            batch.getTaxpayerRegistrationOrTaxpayerChange().add(document);
        }
        FirstProblem problem = new FirstProblem();
        try {
            return withCodec(codec -> codec.marshalBatch(batch, problem));
        } catch (JAXBException e) {
            throw notValid("a TaxpayerBatch of " + documents.size() + " documents", problem, e);
        }
    }

    /**
     * A document the bus wrote that taxpayer.xsd refuses. The cause is left out on purpose: its message quotes the
     * offending value, which may be a NIK.
     */
    private static AgencyRejectedException notValid(String what, FirstProblem problem, JAXBException e) {
        return new AgencyRejectedException(ErrorCode.TRANSLATION_FAILED, NikRedaction.redact(
                what + " does not match taxpayer.xsd: " + problem.describe(e)), null);
    }

    /**
     * One {@link TaxpayerBatch} of documents already written by {@link #marshal} (and so each valid): their elements
     * in order inside the batch's, without their XML declarations. Valid against taxpayer.xsd by construction (the
     * batch is a sequence of those elements), so the documents are not validated a second time.
     *
     * @param documents between 1 and 1000 documents, each as {@link #marshal} wrote it
     */
    public static byte[] batch(List<byte[]> documents) {
        if (documents.isEmpty() || documents.size() > MAX_BATCH) {
            throw new IllegalArgumentException("a TaxpayerBatch holds 1 to " + MAX_BATCH + " documents, not "
                    + documents.size());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(documents.size() * 2048);
        out.writeBytes(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<TaxpayerBatch xmlns=\""
                + NAMESPACE + "\">").getBytes(StandardCharsets.UTF_8));
        for (byte[] document : documents) {
            int start = 0;
            if (startsWith(document, DECLARATION)) {
                start = indexOf(document, DECLARATION_END) + DECLARATION_END.length;
            }
            out.write(document, start, document.length - start);
        }
        out.writeBytes("</TaxpayerBatch>".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("an XML declaration without its end");
    }

    private static Object parse(byte[] xml) {
        FirstProblem problem = new FirstProblem();
        try {
            return withCodec(codec -> codec.unmarshal(xml, problem));
        } catch (JAXBException e) {
            throw new InvalidTaxDocumentException("not a valid taxpayer.xsd v1 document: " + problem.describe(e));
        }
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

    private static void requireRoot(Object document) {
        if (!(document instanceof TaxpayerRegistration) && !(document instanceof TaxpayerChange)) {
            throw new IllegalArgumentException("not a taxpayer.xsd root: "
                    + (document == null ? "null" : document.getClass().getName()));
        }
    }

    /** What a document does with a codec; a {@link JAXBException} is the document refused. */
    @FunctionalInterface
    private interface CodecUse<T> {
        T apply(TaxCodec codec) throws JAXBException;
    }

    /** Runs {@code use} on an idle codec and gives the codec back when the document was written, read or refused. */
    private static <T> T withCodec(CodecUse<T> use) throws JAXBException {
        TaxCodec codec = take();
        T result;
        try {
            result = use.apply(codec);
        } catch (JAXBException refused) {
            give(codec);
            throw refused;
        }
        give(codec);
        return result;
    }

    /** An idle codec, or a new one when every codec is busy. */
    private static TaxCodec take() {
        TaxCodec codec = IDLE.pollFirst();
        return codec != null ? codec : new TaxCodec();
    }

    /**
     * Puts a codec back for the next document, after a valid document or a refused one alike: each use starts from a
     * reset parser, validator and unmarshaller with handlers of its own. A codec whose use ended in anything else (an
     * unexpected runtime exception) is never given back, so an unknown state cannot reach another document.
     */
    private static void give(TaxCodec codec) {
        IDLE.offerFirst(codec);
    }
}
