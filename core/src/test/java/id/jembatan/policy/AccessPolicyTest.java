package id.jembatan.policy;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.agency.AgencySettings;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.model.NotificationType;
import id.jembatan.settings.SettingsProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessPolicyTest {

    private static AgenciesSettings agencies() {
        Map<String, AgencySettings> agencies = new LinkedHashMap<>();
        agencies.put("civil-registry", agency(List.of("BirthRegistered", "DeathRegistered")));
        for (String id : List.of("tax", "health", "citizen-portal")) {
            agencies.put(id, agency(List.of()));
        }
        return new AgenciesSettings(agencies);
    }

    private static AgencySettings agency(List<String> owns) {
        return new AgencySettings(List.of(), owns, List.of(), null, null, null, List.of(), List.of(), false);
    }

    private static AccessPolicySettings.AgencyPolicy policy(Map<String, List<String>> purposes,
                                                            List<String> notifications) {
        return new AccessPolicySettings.AgencyPolicy(List.of(), purposes, null, notifications, null);
    }

    private static AccessPolicy accessPolicy(Map<String, AccessPolicySettings.AgencyPolicy> byAgency) {
        return new AccessPolicy(new AccessPolicySettings(byAgency), agencies());
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

    /**
     * A purpose name longer than the audit chain keeps, one not UPPER_SNAKE_CASE, a purpose that lists no field.
     * Result: a start-up problem for each, naming the purpose's key.
     */
    @Test
    void aPurposeTheBusCannotRecordOrThatGivesNothingIsAProblem() {
        Map<String, List<String>> purposes = new LinkedHashMap<>();
        purposes.put("A".repeat(65), List.of("fullName"));
        purposes.put("Taxpayer_Registration", List.of("fullName"));
        purposes.put("TAXPAYER_REGISTRATION", List.of());
        AccessPolicySettings settings = new AccessPolicySettings(Map.of("tax", policy(purposes, List.of())));

        assertThat(SettingsProblems.of("jembatan.access-policy", settings)).containsExactly(
                "jembatan.access-policy.agencies.tax.purposes." + "A".repeat(65) + ": a purpose is UPPER_SNAKE_CASE",
                "jembatan.access-policy.agencies.tax.purposes.TAXPAYER_REGISTRATION: lists no field",
                "jembatan.access-policy.agencies.tax.purposes.Taxpayer_Registration: a purpose is UPPER_SNAKE_CASE");
    }
}
