package id.jembatan.connector.webhook;

import id.jembatan.connector.HttpDeliverySettings;
import id.jembatan.connector.HttpUrl;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The settings of a {@code json-http} (webhook) agency, from its block {@code jembatan.agencies.<id>}.
 *
 * @param url           where each event is POSTed, e.g. {@code https://bansos.example.go.id/jembatan/events}
 * @param signingSecret the secret deliveries are signed with (HMAC-SHA256), shared with the agency; in production
 *                      from the environment ({@code JEMBATAN_AGENCIES_<ID>_SIGNINGSECRET})
 * @param format        the {@code Translator} that writes the payload when none is named after the agency
 *                      ({@code canonical-json} when empty)
 * @param batch         several events in one request, as a JSON array of what the format writes for each, signed
 *                      as one body (off by default: one event per request); for a JSON format only
 * @param delivery      {@code delivery.timeout}
 */
public record JsonHttpSettings(@NotBlank(message = "is required for this connector type") @HttpUrl String url,
                               @SigningSecret String signingSecret,
                               String format,
                               @DefaultValue("false") boolean batch,
                               @Valid @DefaultValue HttpDeliverySettings delivery) {

    /** Without the secret, which is never logged. */
    @Override
    public String toString() {
        return "JsonHttpSettings[url=" + url + ", signingSecret=***, format=" + format + ", batch=" + batch
                + ", delivery=" + delivery + "]";
    }
}
