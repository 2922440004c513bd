package id.jembatan.sandbox;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The in-process demo agencies ({@code jembatan.sandbox.*}): whether they run and the ports they listen on (127.0.0.1
 * only). Read by {@link SandboxConfiguration} alone.
 *
 * @param enabled           off in the production profile; the production jar has no demo agency to start in any case
 * @param taxPort           port of the tax office's sandbox HTTP server
 * @param healthPort        port of the health agency's sandbox FHIR server
 * @param civilRegistryPort port of the civil registry sandbox's HTTP view of the notifications it received
 * @param webhookPort       port of the webhook sandbox that receives for every {@code json-http} agency
 *                          ({@code /<agency>/events})
 */
@ConfigurationProperties(prefix = "jembatan.sandbox")
public record SandboxSettings(@DefaultValue("true") boolean enabled,
                              @Min(0) @DefaultValue("8181") int taxPort,
                              @Min(0) @DefaultValue("8182") int healthPort,
                              @Min(0) @DefaultValue("8183") int civilRegistryPort,
                              @Min(0) @DefaultValue("8184") int webhookPort) {
}
