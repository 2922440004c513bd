package id.jembatan.policy;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.model.NotificationType;
import id.jembatan.settings.AccessPolicyProperties;
import id.jembatan.settings.JembatanProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessPolicyTest {

    private static JembatanProperties agencies() {
        JembatanProperties bus = new JembatanProperties();
        JembatanProperties.Agency registry = new JembatanProperties.Agency();
        registry.setOwns(List.of("BirthRegistered", "DeathRegistered"));
        bus.getAgencies().put("civil-registry", registry);
        for (String id : List.of("tax", "health", "citizen-portal")) {
            bus.getAgencies().put(id, new JembatanProperties.Agency());
        }
        return bus;
    }

    private static AccessPolicyProperties.AgencyPolicy policy(Map<String, List<String>> purposes,
                                                              List<String> notifications) {
        AccessPolicyProperties.AgencyPolicy policy = new AccessPolicyProperties.AgencyPolicy();
        policy.setPurposes(purposes);
        policy.setNotifications(notifications);
        return policy;
    }

    private static AccessPolicy accessPolicy(Map<String, AccessPolicyProperties.AgencyPolicy> byAgency) {
        AccessPolicyProperties properties = new AccessPolicyProperties();
        properties.setAgencies(byAgency);
        return new AccessPolicy(properties, agencies());
    }

    private static AccessPolicy demo() {
        return accessPolicy(Map.of(
                "tax", policy(Map.of("TAXPAYER_REGISTRATION", List.of("fullName")), List.of()),
                "health", policy(Map.of("PATIENT_IDENTIFICATION", List.of("fullName")), List.of("DeathReported")),
                "citizen-portal", policy(Map.of(), List.of())));
    }

    /** The known purposes are the policy's, of any agency; nothing else, however close, is one. */
    @ParameterizedTest
    @ValueSource(strings = {"CURIOSITY", "taxpayer_registration", " TAXPAYER_REGISTRATION", "TAXPAYER_REGISTRATION\n",
        "EVENT_DELIVERY", "<img src=x onerror=alert(1)>", ""})
    void onlyThePolicysPurposesAreKnown(String purpose) {
        AccessPolicy policy = demo();

        assertThat(policy.isKnownPurpose(purpose)).isFalse();
        assertThat(policy.isKnownPurpose("TAXPAYER_REGISTRATION")).isTrue();
        assertThat(policy.isKnownPurpose("PATIENT_IDENTIFICATION")).isTrue();
        assertThat(policy.isKnownPurpose(null)).isFalse();
    }

    /** A known purpose of another agency is denied to this one, with its own purposes named. */
    @Test
    void aPurposeOfAnotherAgencyIsDenied() {
        assertThatThrownBy(() -> demo().readable("tax", "PATIENT_IDENTIFICATION"))
                .isInstanceOfSatisfying(JembatanException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.POLICY_DENIED);
                    assertThat(e.getMessage()).contains("TAXPAYER_REGISTRATION");
                });
        assertThat(demo().purposesOf("tax")).containsExactly("TAXPAYER_REGISTRATION");
        assertThat(demo().purposesOf("nobody")).isEmpty();
    }

    /** Only agencies the policy names may report a notification type; the citizen portal may not report deaths. */
    @Test
    void notificationsArePerAgencyAndType() {
        AccessPolicy policy = demo();

        assertThat(policy.mayNotify("health", NotificationType.DEATH_REPORTED)).isTrue();
        assertThat(policy.mayNotify("citizen-portal", NotificationType.DEATH_REPORTED)).isFalse();
        assertThat(policy.mayNotify("tax", NotificationType.DEATH_REPORTED)).isFalse();
        assertThat(policy.mayNotify("unknown-agency", NotificationType.DEATH_REPORTED)).isFalse();
    }

    /** An unknown notification type, or one the agency owns the confirming event of, stops the start. */
    @Test
    void aNotificationThePolicyCannotGrantStopsTheStart() {
        assertThatThrownBy(() -> accessPolicy(Map.of("health", policy(Map.of(), List.of("BirthReported")))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("jembatan.access-policy.agencies.health.notifications")
                .hasMessageContaining("BirthReported");
        assertThatThrownBy(() -> accessPolicy(Map.of("civil-registry", policy(Map.of(), List.of("DeathReported")))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("civil-registry owns DeathRegistered");
    }

    /** A purpose name longer than the audit chain keeps, or not UPPER_SNAKE_CASE, stops the start. */
    @Test
    void aPurposeNameTheBusCannotRecordStopsTheStart() {
        assertThatThrownBy(() -> accessPolicy(Map.of("tax", policy(Map.of("A".repeat(65), List.of("fullName")),
                List.of())))).isInstanceOf(IllegalStateException.class).hasMessageContaining("UPPER_SNAKE_CASE");
    }
}
