package id.jembatan.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.connector.tax.TaxTranslator;
import id.jembatan.connector.tax.TaxXml;
import id.jembatan.notification.NotificationRouting;
import id.jembatan.schema.model.OwnerNotification;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * {@code POST /api/v1/notifications}: a non-owner's report of a fact (a hospital's {@code DeathReported}, the tax
 * office's {@code AddressReported}, also as its own XML), routed to
 * the owner for confirmation when the citizen is registered and alive; 202 {@code {"notificationId", "status":
 * "ACCEPTED"}} for every well-formed notification the sender may send, whatever became of it.
 */
@RestController
@RequestMapping("/api/v1")
public class NotificationsController {

    /** The answer: the notification's id and {@code ACCEPTED}; where it went is for the operators to see. */
    public record NotificationResponse(UUID notificationId, String status) {
    }

    private final NotificationRouting routing;
    private final TaxTranslator taxTranslator = new TaxTranslator();

    public NotificationsController(NotificationRouting routing) {
        this.routing = routing;
    }

    /**
     * The tax office's form of a notification: a {@code TaxpayerAddressReport} (taxpayer.xsd 1.2), parsed with DTDs and
     * external entities refused and validated against the XSD, then translated to {@code AddressReported} and taken
     * exactly as the JSON one (same checks, audit and answer).
     */
    @PostMapping(path = "/notifications", consumes = {MediaType.APPLICATION_XML_VALUE, MediaType.TEXT_XML_VALUE},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<NotificationResponse> postXml(@RequestBody byte[] body,
                                                        @AuthenticationPrincipal String agencyId) {
        ObjectNode notification = taxTranslator.fromAgency(TaxXml.unmarshalAddressReport(body));
        return accepted(routing.route(agencyId, notification.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @PostMapping(path = "/notifications", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<NotificationResponse> post(@RequestBody byte[] body,
                                                     @AuthenticationPrincipal String agencyId) {
        return accepted(routing.route(agencyId, body));
    }

    private static ResponseEntity<NotificationResponse> accepted(OwnerNotification routed) {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(new NotificationResponse(routed.notificationId(), NotificationRouting.ACCEPTED));
    }
}
