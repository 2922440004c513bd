package id.jembatan.complaint;

import id.jembatan.connector.HttpDeliverySettings;
import id.jembatan.connector.HttpUrl;
import id.jembatan.connector.webhook.SigningSecret;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Citizens' complaints ({@code jembatan.complaints.*}): who files them, where they go (a routing table of category and
 * region prefix, a default agency), how soon the responsible agency must acknowledge them before they are escalated to
 * the supervising agency, and how each receiving agency is reached (a signed webhook).
 *
 * @param enabled            whether the bus takes complaints (off unless configured: the production jar has no portal
 *                           or receiving agency of its own); when off, the complaint endpoints answer 404
 * @param queue              the broker queue complaints wait in for delivery (anycast, durable)
 * @param deadLetterQueue    where a complaint an agency keeps refusing goes, with why
 * @param filers             the agencies that may file complaints (the citizen portal)
 * @param defaultAgency      the agency a complaint goes to when no route and no category agency matches
 * @param supervisingAgency  the agency a complaint is escalated to when it is not acknowledged in time
 * @param escalationCheck    how often the bus looks for complaints past their service level
 * @param outboxPollInterval how often the bus looks for complaint deliveries still to put on the broker
 * @param categories         the categories the bus routes, each with its service level
 * @param routes             category and region prefix to the responsible agency; the longest prefix wins
 * @param receivers          the agencies complaints can reach, and how
 * @param receiveNik         the agencies that receive the complainant's NIK with a complaint (data minimisation:
 *                           the others get the complaint without it)
 * @param delivery           retries of a complaint a receiver refuses
 */
@ConfigurationProperties(prefix = "jembatan.complaints")
public record ComplaintSettings(@DefaultValue("false") boolean enabled,
                               @NotBlank @DefaultValue("complaints.delivery") String queue,
                               @NotBlank @DefaultValue("dlq.complaints") String deadLetterQueue,
                               @DefaultValue("citizen-portal") List<String> filers,
                               String defaultAgency,
                               String supervisingAgency,
                               @NotNull @DurationMin(inclusive = false, message = "must be longer than zero")
                               @DefaultValue("1m") Duration escalationCheck,
                               @NotNull @DurationMin(inclusive = false, message = "must be longer than zero")
                               @DefaultValue("500ms") Duration outboxPollInterval,
                               Map<@Pattern(regexp = "[A-Z][A-Z0-9_]{1,39}",
                                       message = ": a category is UPPER_SNAKE_CASE") String,
                                       @Valid @NotNull Category> categories,
                               List<@Valid Route> routes,
                               Map<String, @Valid Receiver> receivers,
                               List<String> receiveNik,
                               @Valid @DefaultValue Retries delivery) {

    public ComplaintSettings {
        filers = filers == null ? List.of() : List.copyOf(filers);
        categories = categories == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(categories));
        routes = routes == null ? List.of() : List.copyOf(routes);
        receivers = receivers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(receivers));
        receiveNik = receiveNik == null ? List.of() : List.copyOf(receiveNik);
    }

    /**
     * One category of complaints.
     *
     * @param acknowledgeWithin the service level: how soon the responsible agency must acknowledge a complaint
     *                          (set it {@code IN_PROGRESS} or further) before it is escalated
     * @param agency            the agency responsible for the category where no route matches; empty: the default
     */
    public record Category(@NotNull @DurationMin(inclusive = false, message = "must be longer than zero")
                           Duration acknowledgeWithin,
                           String agency) {
    }

    /**
     * One line of the routing table.
     *
     * @param category     a configured category
     * @param regionPrefix the start of the complaint's region code: a province (2 digits), regency (4), district (6)
     * @param agency       the responsible agency
     */
    public record Route(@NotBlank String category,
                        @NotBlank @Pattern(regexp = "[0-9]{2}([0-9]{2}([0-9]{2})?)?",
                                message = ": a region prefix is a province, regency or district code") String regionPrefix,
                        @NotBlank String agency) {
    }

    /**
     * How an agency receives complaints: a signed JSON webhook, as {@code json-http} agencies receive events.
     *
     * @param url           where each complaint is POSTed
     * @param signingSecret the secret it is signed with (HMAC-SHA256); in production from the environment
     * @param delivery      {@code delivery.timeout}
     */
    public record Receiver(@NotBlank(message = "is required for an agency that receives complaints") @HttpUrl
                           String url,
                           @SigningSecret String signingSecret,
                           @Valid @DefaultValue HttpDeliverySettings delivery) {

        /** Without the secret, which is never logged. */
        @Override
        public String toString() {
            return "Receiver[url=" + url + ", signingSecret=***, delivery=" + delivery + "]";
        }
    }

    /**
     * Retries of a complaint a receiver refuses (4xx); one it cannot reach is retried without limit.
     *
     * @param maximumRedeliveries    attempts after the first before it goes to the dead-letter queue
     * @param redeliveryDelay        first wait before a retry; doubles each time up to {@code maximumRedeliveryDelay}
     * @param maximumRedeliveryDelay the longest wait between two attempts
     */
    public record Retries(@Min(0) @DefaultValue("3") int maximumRedeliveries,
                          @NotNull @DefaultValue("1s") Duration redeliveryDelay,
                          @NotNull @DefaultValue("1m") Duration maximumRedeliveryDelay) {
    }
}
