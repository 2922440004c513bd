package id.jembatan.sandbox.oauth;

import java.util.List;

/**
 * A client of the demo authorization server ({@code jembatan.sandbox.oauth2-clients.<client-id>}).
 *
 * @param secret its client secret (demo only: published in the demo profile)
 * @param scopes the scopes it may ask for: the purposes its agency may declare with its tokens
 */
public record DemoClient(String secret, List<String> scopes) {

    public DemoClient {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }
}
