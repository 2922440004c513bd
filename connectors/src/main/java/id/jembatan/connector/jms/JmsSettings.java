package id.jembatan.connector.jms;

import jakarta.validation.constraints.NotEmpty;

import java.util.List;

/**
 * The settings of a {@code jms} agency, from its block {@code jembatan.agencies.<id>}.
 *
 * @param apiKeys the agency's API key digests (a setting every agency has): a {@code jms} agency signs in to the
 *                broker with one of its keys, so it needs at least one
 * @param format  the {@code Translator} that writes the payload when none is named after the agency
 *                ({@code canonical-json} when empty)
 */
public record JmsSettings(
        @NotEmpty(message = ": a jms agency signs in to the broker as the user named by its id, with one of its API"
                + " keys as password, and has none") List<String> apiKeys,
        String format) {

    public JmsSettings {
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    }
}
