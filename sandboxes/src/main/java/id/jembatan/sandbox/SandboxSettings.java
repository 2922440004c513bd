package id.jembatan.sandbox;

import id.jembatan.sandbox.oauth.DemoClient;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.Map;

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
 * @param authorizationServerPort port of the demo OAuth2 authorization server, the issuer of agencies' access tokens
 * @param oauth2Clients     the demo authorization server's clients by client id: secret and scopes (purposes)
 */
@ConfigurationProperties(prefix = "jembatan.sandbox")
public record SandboxSettings(@DefaultValue("true") boolean enabled,
                              @Min(0) @DefaultValue("8181") int taxPort,
                              @Min(0) @DefaultValue("8182") int healthPort,
                              @Min(0) @DefaultValue("8183") int civilRegistryPort,
                              @Min(0) @DefaultValue("8184") int webhookPort,
                              @Min(0) @DefaultValue("8185") int authorizationServerPort,
                              Map<String, DemoClient> oauth2Clients) {

    public SandboxSettings {
        oauth2Clients = oauth2Clients == null ? Map.of() : Map.copyOf(oauth2Clients);
    }
}
