package id.jembatan.sandbox.oauth;

import org.springframework.boot.context.properties.bind.ConstructorBinding;

import java.util.List;

/**
 * A client of the demo authorization server ({@code jembatan.sandbox.oauth2-clients.<client-id>}).
 *
 * @param secret its client secret (demo only: published in the demo profile)
 * @param scopes the scopes it may ask for: the purposes its agency may declare with its tokens
 * @param roles  the roles its tokens carry in the {@code roles} claim ({@code jembatan-operator}: an operator's
 *               client)
 */
public record DemoClient(String secret, List<String> scopes, List<String> roles) {

    @ConstructorBinding
    public DemoClient {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    /** An agency's client: scopes, no roles. */
    public DemoClient(String secret, List<String> scopes) {
        this(secret, scopes, List.of());
    }
}
