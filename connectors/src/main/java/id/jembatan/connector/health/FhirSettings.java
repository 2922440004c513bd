package id.jembatan.connector.health;

import id.jembatan.connector.HttpDeliverySettings;
import id.jembatan.connector.HttpUrl;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The settings of a {@code fhir} agency, from its block {@code jembatan.agencies.<id>}.
 *
 * @param url               the base URL of the agency's FHIR R4 server, e.g. {@code https://fhir.example.go.id/fhir}
 * @param conditionalCreate a birth is sent as a conditional create ({@code If-None-Exist}), one request when the
 *                          agency does not know the NIK yet; false for a FHIR server without conditional create (one
 *                          that would ignore the header and make a second Patient): births are then read and
 *                          written like every other event
 * @param batch             the events of a batch go in FHIR {@code batch} Bundles (POST to the base, answered entry
 *                          by entry); false for a server without them: one request per event
 * @param delivery          {@code delivery.timeout}
 */
public record FhirSettings(@NotBlank(message = "is required for this connector type") @HttpUrl String url,
                           @DefaultValue("true") boolean conditionalCreate,
                           @DefaultValue("true") boolean batch,
                           @Valid @DefaultValue HttpDeliverySettings delivery) {
}
