package id.jembatan.agency;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How suspensions reach every bus instance ({@code jembatan.suspensions.*}). The instance an operator suspends an
 * agency on refuses it at once; the others read the suspensions table this often.
 *
 * @param refreshInterval how often each instance reads the suspended agencies from the database: the longest a
 *                        suspension or reinstatement made on another instance takes to apply here
 */
@ConfigurationProperties(prefix = "jembatan.suspensions")
public record SuspensionSettings(@NotNull @DefaultValue("500ms") Duration refreshInterval) {
}
