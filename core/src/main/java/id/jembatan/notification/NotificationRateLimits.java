package id.jembatan.notification;

import id.jembatan.verification.AgencyRateLimit;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

/**
 * The per-agency budget of notifications to owners: at most {@code jembatan.notifications.rate-limit.requests} per
 * {@code jembatan.notifications.rate-limit.period} for each agency, so that the endpoint cannot be used to probe
 * NIKs by the thousand or to flood the owner's inbox.
 */
@Component
@DependsOn("configurationCheck")
public class NotificationRateLimits extends AgencyRateLimit {

    public NotificationRateLimits(NotificationSettings settings) {
        super("send at most %d notifications", settings.rateLimit());
    }
}
