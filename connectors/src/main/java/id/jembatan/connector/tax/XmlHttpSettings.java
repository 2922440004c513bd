package id.jembatan.connector.tax;

import id.jembatan.connector.HttpDeliverySettings;
import id.jembatan.connector.HttpUrl;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The settings of an {@code xml-http} agency (the tax office), from its block {@code jembatan.agencies.<id>}.
 *
 * @param url      the tax office's collection URL the documents are POSTed to, e.g.
 *                 {@code https://djp.example.go.id/jembatan/taxpayers}
 * @param batch    the tax office takes several documents in one {@code TaxpayerBatch} (taxpayer.xsd 1.1) and answers
 *                 with a {@code TaxpayerBatchResult}; false (the default): one document per request
 * @param delivery {@code delivery.timeout}
 */
public record XmlHttpSettings(@NotBlank(message = "is required for this connector type") @HttpUrl String url,
                              @DefaultValue("false") boolean batch,
                              @Valid @DefaultValue HttpDeliverySettings delivery) {
}
