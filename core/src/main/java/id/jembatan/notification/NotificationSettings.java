package id.jembatan.notification;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Notifications from non-owners to the owner ({@code POST /api/v1/notifications}; {@code jembatan.notifications.*}).
 *
 * @param queue the owner's inbox on the broker: an anycast queue the civil registry consumes
 */
@ConfigurationProperties(prefix = "jembatan.notifications")
public record NotificationSettings(@NotBlank String queue) {
}
