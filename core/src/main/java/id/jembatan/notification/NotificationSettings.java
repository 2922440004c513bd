package id.jembatan.notification;

import id.jembatan.verification.RateLimitSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Notifications from non-owners to the owner ({@code POST /api/v1/notifications}; {@code jembatan.notifications.*}).
 *
 * @param queue     the owner's inbox on the broker: an anycast queue the civil registry consumes
 * @param rateLimit each agency's budget of notifications
 */
@ConfigurationProperties(prefix = "jembatan.notifications")
public record NotificationSettings(@NotBlank String queue, @Valid @DefaultValue RateLimitSettings rateLimit) {
}
