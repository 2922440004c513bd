package id.jembatan.connector.tax;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.connector.AgencyHttp;
import id.jembatan.connector.service.OwnerAnswerInvalidException;
import id.jembatan.connector.service.OwnerServiceClient;
import id.jembatan.connector.service.OwnerServiceProtocol;
import id.jembatan.schema.tax.v1.TaxpayerStatusResponse;
import id.jembatan.schema.validation.EventValidator;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;

/**
 * {@code tax-taxpayer-status}: the tax office's taxpayer status confirmation (KSWP) asked over HTTP with taxpayer.xsd
 * documents: one {@code TaxpayerStatusRequest} POSTed, one {@code TaxpayerStatusResponse} read back (valid against
 * the XSD, about the same RequestId), translated by {@link TaxpayerStatusTranslator}.
 */
@Component
public class TaxpayerStatusProtocol implements OwnerServiceProtocol {

    public static final String TYPE = "tax-taxpayer-status";
    /** A status answer is a few hundred bytes; anything longer is not one. */
    private static final int MAX_ANSWER_BYTES = 16 * 1024;

    private final HttpClient http;
    private final Clock clock;
    private final TaxpayerStatusTranslator translator = new TaxpayerStatusTranslator();

    public TaxpayerStatusProtocol(HttpClient http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public OwnerServiceClient create(String owner, URI url, Duration timeout) {
        AgencyHttp agency = new AgencyHttp(owner, url, timeout, http);
        return request -> ask(agency, owner, request);
    }

    private JsonNode ask(AgencyHttp agency, String owner, JsonNode request) {
        UUID requestId = UUID.randomUUID();
        LocalDate today = LocalDate.now(clock.withZone(EventValidator.REGISTRY_ZONE));
        byte[] question = TaxXml.marshal(translator.toTaxOffice(request, requestId, today));
        byte[] answer = agency.postForAnswer(agency.request()
                .header("Content-Type", TaxXml.MEDIA_TYPE)
                .header("Accept", TaxXml.MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(question))
                .build(), MAX_ANSWER_BYTES).body();
        TaxpayerStatusResponse response;
        try {
            response = TaxXml.unmarshalStatusResponse(answer);
        } catch (InvalidTaxDocumentException invalid) {
            throw new OwnerAnswerInvalidException(owner + " answered a taxpayer status request with "
                    + invalid.getMessage());
        }
        return translator.fromTaxOffice(response, requestId);
    }
}
