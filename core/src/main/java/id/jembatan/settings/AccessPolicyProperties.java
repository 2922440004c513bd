package id.jembatan.settings;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The access policy as configured ({@code jembatan.access-policy.<agency>}, in {@code access-policy.yaml}): per
 * agency, the fields it receives with events, per declared purpose the fields a lookup may return, and the
 * notifications it may send to owners.
 */
@ConfigurationProperties(prefix = "jembatan.access-policy")
public class AccessPolicyProperties {

    private Map<String, AgencyPolicy> agencies = new LinkedHashMap<>();

    public Map<String, AgencyPolicy> getAgencies() {
        return agencies;
    }

    public void setAgencies(Map<String, AgencyPolicy> agencies) {
        this.agencies = agencies;
    }

    /** One agency's part of the policy. */
    public static class AgencyPolicy {
        /** Fields delivered with events (data minimisation before translation). */
        private List<String> receive = List.of();
        /** Purpose (a legal basis, e.g. TAXPAYER_REGISTRATION) to the fields a lookup for it may return. */
        private Map<String, List<String>> purposes = new LinkedHashMap<>();
        /** The purpose FHIR searches are made under when the request names none (header X-Purpose). */
        private String fhirPurpose;
        /** Notification types (wire names, e.g. DeathReported) the agency may report to the owner. */
        private List<String> notifications = List.of();

        public List<String> getReceive() {
            return receive;
        }

        public void setReceive(List<String> receive) {
            this.receive = receive;
        }

        public Map<String, List<String>> getPurposes() {
            return purposes;
        }

        public void setPurposes(Map<String, List<String>> purposes) {
            this.purposes = purposes;
        }

        public String getFhirPurpose() {
            return fhirPurpose;
        }

        public void setFhirPurpose(String fhirPurpose) {
            this.fhirPurpose = fhirPurpose;
        }

        public List<String> getNotifications() {
            return notifications;
        }

        public void setNotifications(List<String> notifications) {
            this.notifications = notifications;
        }
    }
}
