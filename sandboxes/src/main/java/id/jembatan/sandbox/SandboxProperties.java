package id.jembatan.sandbox;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The in-process demo agencies ({@code jembatan.sandbox}): whether they run and the ports they listen on (127.0.0.1
 * only). Read by {@link SandboxConfiguration} alone.
 */
@Validated
@ConfigurationProperties(prefix = "jembatan.sandbox")
public class SandboxProperties {

    /** Off in the production profile; the production jar has no demo agency to start in any case. */
    private boolean enabled = true;
    /** Port of the tax office's sandbox HTTP server. */
    @Min(0)
    private int taxPort = 8181;
    /** Port of the health agency's sandbox FHIR server. */
    @Min(0)
    private int healthPort = 8182;
    /** Port of the civil registry sandbox's HTTP view of the notifications it received. */
    @Min(0)
    private int civilRegistryPort = 8183;
    /** Port of the webhook sandbox that receives for every {@code json-http} agency ({@code /<agency>/events}). */
    @Min(0)
    private int webhookPort = 8184;

    public int getWebhookPort() {
        return webhookPort;
    }

    public void setWebhookPort(int webhookPort) {
        this.webhookPort = webhookPort;
    }

    public int getCivilRegistryPort() {
        return civilRegistryPort;
    }

    public void setCivilRegistryPort(int civilRegistryPort) {
        this.civilRegistryPort = civilRegistryPort;
    }

    public int getTaxPort() {
        return taxPort;
    }

    public void setTaxPort(int taxPort) {
        this.taxPort = taxPort;
    }

    public int getHealthPort() {
        return healthPort;
    }

    public void setHealthPort(int healthPort) {
        this.healthPort = healthPort;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
