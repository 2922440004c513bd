package id.jembatan.complaint;

import java.time.Instant;

/**
 * The time complaints are filed, changed and escalated by: the bus's clock unless the application defines a bean of
 * this type (a test of escalation moves it forward, while webhook signatures keep the real time).
 */
@FunctionalInterface
public interface ServiceLevelClock {

    Instant now();
}
