package id.jembatan.connector.tax;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.connector.service.OwnerAnswerInvalidException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.rules.Npwp;
import id.jembatan.schema.tax.v1.TaxpayerStatusRequest;
import id.jembatan.schema.tax.v1.TaxpayerStatusResponse;

import java.time.LocalDate;
import java.util.UUID;

/**
 * The owner service {@code tax/taxpayer-status} between the bus's JSON (taxpayer-status.request/response.schema.json)
 * and the tax office's XML (taxpayer.xsd 1.2, {@code TaxpayerStatusRequest} / {@code TaxpayerStatusResponse}). A
 * legacy NPWP is sent as the tax office writes it ({@code XX.XXX.XXX.X-XXX.XXX}), whichever way the caller wrote it.
 * Plain Java, stateless.
 */
public final class TaxpayerStatusTranslator {

    /**
     * The tax office's question for a request the service's schema accepted.
     *
     * @param requestId the question's id, which the answer must carry back
     * @param today     the day asked for when the request names none
     */
    public TaxpayerStatusRequest toTaxOffice(JsonNode request, UUID requestId, LocalDate today) {
        TaxpayerStatusRequest question = new TaxpayerStatusRequest();
        question.setRequestId(requestId.toString());
        if (request.hasNonNull("nik")) {
            question.setNik(request.get("nik").textValue());
        } else {
            String npwp = request.get("npwp").textValue();
            question.setNpwp15(Npwp.format(Npwp.normalise(npwp)
                    .orElseThrow(() -> new IllegalArgumentException("not a checked legacy NPWP"))));
        }
        question.setAsOf(TaxXml.date(request.hasNonNull("asOf")
                ? LocalDate.parse(request.get("asOf").textValue()) : today));
        return question;
    }

    /**
     * The tax office's answer as the bus's JSON.
     *
     * @throws OwnerAnswerInvalidException if it answers another question than {@code requestId}
     */
    public ObjectNode fromTaxOffice(TaxpayerStatusResponse answer, UUID requestId) {
        if (!requestId.toString().equals(answer.getRequestId())) {
            throw new OwnerAnswerInvalidException("tax answered request " + answer.getRequestId() + " to request "
                    + requestId);
        }
        ObjectNode json = CanonicalJson.mapper().createObjectNode();
        json.put("registered", answer.isRegistered());
        json.put("status", answer.getStatus().value());
        json.put("asOf", TaxXml.localDate(answer.getAsOf()).toString());
        if (answer.getNik() != null) {
            json.put("nik", answer.getNik());
        }
        if (answer.getNpwp15() != null) {
            json.put("npwp", answer.getNpwp15());
        }
        return json;
    }
}
