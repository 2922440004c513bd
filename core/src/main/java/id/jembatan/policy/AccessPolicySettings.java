package id.jembatan.policy;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The access policy as configured ({@code jembatan.access-policy.agencies.<agency>}, in {@code access-policy.yaml}):
 * per agency, the fields it receives with events, per declared purpose the fields a lookup may return, and the
 * notifications it may send to owners. What the names must be is checked against the code by {@link AccessPolicy}.
 *
 * @param agencies each agency's part of the policy
 */
@ConfigurationProperties(prefix = "jembatan.access-policy")
public record AccessPolicySettings(Map<String, @Valid AgencyPolicy> agencies) {

    public AccessPolicySettings {
        agencies = agencies == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(agencies));
    }

    /**
     * One agency's part of the policy.
     *
     * @param receive       fields delivered with events (data minimisation before translation)
     * @param purposes      purpose (a legal basis, e.g. {@code TAXPAYER_REGISTRATION}) to the fields a lookup for it
     *                      may return
     * @param fhirPurpose   the purpose FHIR searches are made under when the request names none (header
     *                      {@code X-Purpose})
     * @param notifications notification types (wire names, e.g. {@code DeathReported}) the agency may report to the
     *                      owner
     * @param services      owner services the agency may call ({@code POST /api/v1/services/{owner}/{service}}): owner
     *                      to service to the purposes it may call it for, e.g. {@code tax: {taxpayer-status:
     *                      [SUPPLIER_VERIFICATION]}}
     */
    public record AgencyPolicy(
            List<String> receive,
            Map<@Pattern(regexp = "[A-Z][A-Z0-9_]{1,63}", message = ": a purpose is UPPER_SNAKE_CASE") String,
                    @NotEmpty(message = ": lists no field") List<String>> purposes,
            String fhirPurpose,
            List<String> notifications,
            Map<String, Map<String, @NotEmpty(message = ": lists no purpose") List<
                    @Pattern(regexp = "[A-Z][A-Z0-9_]{1,63}", message = ": a purpose is UPPER_SNAKE_CASE") String>>>
                    services) {

        public AgencyPolicy {
            receive = receive == null ? List.of() : List.copyOf(receive);
            Map<String, List<String>> fields = new LinkedHashMap<>();
            if (purposes != null) {
                purposes.forEach((purpose, names) -> fields.put(purpose, names == null ? null : List.copyOf(names)));
            }
            purposes = Collections.unmodifiableMap(fields);
            notifications = notifications == null ? List.of() : List.copyOf(notifications);
            Map<String, Map<String, List<String>>> calls = new LinkedHashMap<>();
            if (services != null) {
                services.forEach((owner, offered) -> {
                    Map<String, List<String>> byService = new LinkedHashMap<>();
                    if (offered != null) {
                        offered.forEach((service, names) -> byService.put(service,
                                names == null ? null : List.copyOf(names)));
                    }
                    calls.put(owner, Collections.unmodifiableMap(byService));
                });
            }
            services = Collections.unmodifiableMap(calls);
        }
    }
}
