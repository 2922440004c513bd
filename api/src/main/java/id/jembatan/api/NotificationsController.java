package id.jembatan.api;

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

import java.util.UUID;

/**
 * {@code POST /api/v1/notifications}: a non-owner's report of a fact (a hospital's {@code DeathReported}), routed to
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

    public NotificationsController(NotificationRouting routing) {
        this.routing = routing;
    }

    @PostMapping(path = "/notifications", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<NotificationResponse> post(@RequestBody byte[] body,
                                                     @AuthenticationPrincipal String agencyId) {
        OwnerNotification routed = routing.route(agencyId, body);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(new NotificationResponse(routed.notificationId(), NotificationRouting.ACCEPTED));
    }
}
