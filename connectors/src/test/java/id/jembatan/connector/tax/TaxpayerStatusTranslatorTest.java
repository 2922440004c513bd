package id.jembatan.connector.tax;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.connector.service.OwnerAnswerInvalidException;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.tax.v1.TaxpayerStatus;
import id.jembatan.schema.tax.v1.TaxpayerStatusRequest;
import id.jembatan.schema.tax.v1.TaxpayerStatusResponse;
import id.jembatan.schema.validation.ServiceContract;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The owner service tax/taxpayer-status between the bus's JSON and taxpayer.xsd 1.2: questions valid against the
 * XSD, answers that pass the service's response schema, an answer to another question refused.
 */
class TaxpayerStatusTranslatorTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 20);
    private final TaxpayerStatusTranslator translator = new TaxpayerStatusTranslator();
    private final ServiceContract contract = new ServiceContract("tax", "taxpayer-status");

    private static JsonNode json(String text) {
        return CanonicalJson.readBody(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A question by NIK without a day. Result: a valid TaxpayerStatusRequest for today with the same RequestId. */
    @Test
    void aQuestionByNikIsAskedForToday() {
        UUID id = UUID.randomUUID();
        TaxpayerStatusRequest question = translator.toTaxOffice(json("{\"nik\":\"3171014508990001\"}"), id, TODAY);
        byte[] xml = TaxXml.marshal(question);

        TaxpayerStatusRequest read = TaxXml.unmarshalStatusRequest(xml);
        assertThat(read.getRequestId()).isEqualTo(id.toString());
        assertThat(read.getNik()).isEqualTo("3171014508990001");
        assertThat(read.getNpwp15()).isNull();
        assertThat(TaxXml.localDate(read.getAsOf())).isEqualTo(TODAY);
    }

    /** A legacy NPWP written as digits, for a given day. Result: sent as the tax office writes it, for that day. */
    @Test
    void aLegacyNpwpIsSentAsTheTaxOfficeWritesIt() {
        TaxpayerStatusRequest question = translator.toTaxOffice(
                json("{\"npwp\":\"013121660091000\",\"asOf\":\"2026-01-31\"}"), UUID.randomUUID(), TODAY);

        TaxpayerStatusRequest read = TaxXml.unmarshalStatusRequest(TaxXml.marshal(question));
        assertThat(read.getNpwp15()).isEqualTo("01.312.166.0-091.000");
        assertThat(read.getNik()).isNull();
        assertThat(TaxXml.localDate(read.getAsOf())).isEqualTo(LocalDate.of(2026, 1, 31));
    }

    /** The tax office's answer, with the NIK it maps a legacy NPWP to. Result: JSON the response schema accepts. */
    @Test
    void anAnswerBecomesJsonTheResponseSchemaAccepts() {
        UUID id = UUID.randomUUID();
        TaxpayerStatusResponse answer = answer(id.toString());
        answer.setNik("3171014508990001");
        answer.setNpwp15("01.312.166.0-091.000");

        ObjectNode json = translator.fromTaxOffice(TaxXml.unmarshalStatusResponse(TaxXml.marshal(answer)), id);

        assertThat(json.toString()).isEqualTo("{\"registered\":true,\"status\":\"VALID\",\"asOf\":\"2026-11-20\","
                + "\"nik\":\"3171014508990001\",\"npwp\":\"01.312.166.0-091.000\"}");
        assertThat(contract.responseViolations(json)).isEmpty();
    }

    /** An answer carrying another RequestId. Result: OWNER_ANSWER_INVALID, nothing translated. */
    @Test
    void anAnswerToAnotherQuestionIsRefused() {
        TaxpayerStatusResponse answer = answer(UUID.randomUUID().toString());

        assertThatThrownBy(() -> translator.fromTaxOffice(answer, UUID.randomUUID()))
                .isInstanceOfSatisfying(OwnerAnswerInvalidException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.OWNER_ANSWER_INVALID));
    }

    /** A status answer that breaks the XSD (no Status). Result: refused by the parser, as any tax document is. */
    @Test
    void anAnswerThatBreaksTheXsdIsNotRead() {
        String xml = "<TaxpayerStatusResponse xmlns=\"" + TaxXml.NAMESPACE + "\"><RequestId>"
                + UUID.randomUUID() + "</RequestId><Registered>true</Registered><AsOf>2026-11-20</AsOf>"
                + "</TaxpayerStatusResponse>";

        assertThatThrownBy(() -> TaxXml.unmarshalStatusResponse(xml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidTaxDocumentException.class);
    }

    private static TaxpayerStatusResponse answer(String requestId) {
        TaxpayerStatusResponse answer = new TaxpayerStatusResponse();
        answer.setRequestId(requestId);
        answer.setRegistered(true);
        answer.setStatus(TaxpayerStatus.VALID);
        answer.setAsOf(TaxXml.date(TODAY));
        return answer;
    }
}
