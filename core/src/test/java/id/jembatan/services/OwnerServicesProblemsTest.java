package id.jembatan.services;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.agency.AgencySettings;
import id.jembatan.policy.AccessPolicySettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What start-up says about the owner services as configured, each problem naming its key: the shipped service has
 * none; an owner that is no agency, a service name that cannot be one, one without published schemas, and a policy
 * that lets an agency call a service nobody offers each have one.
 */
class OwnerServicesProblemsTest {

    private static final AgenciesSettings AGENCIES = new AgenciesSettings(Map.of(
            "tax", new AgencySettings(List.of(), List.of(), List.of(), null, null, null, List.of(),
                    List.of(), false),
            "procurement", new AgencySettings(List.of(), List.of(), List.of(), null, null, null, List.of(),
                    List.of(), false)));

    private static OwnerServicesSettings.Offered offered() {
        return new OwnerServicesSettings.Offered("tax-taxpayer-status", "https://djp.example.go.id/status",
                Duration.ofSeconds(5), "", Duration.ofSeconds(5),
                new OwnerServicesSettings.CircuitBreaker(50, 10, 5, Duration.ofSeconds(30), 2));
    }

    private static AccessPolicySettings procurementCalls(String owner, String service) {
        return new AccessPolicySettings(Map.of("procurement", new AccessPolicySettings.AgencyPolicy(null, null,
                null, null, Map.of(owner, Map.of(service, List.of("SUPPLIER_VERIFICATION"))))));
    }

    @Test
    void theTaxOfficesStatusServiceCalledByProcurementHasNoProblem() {
        OwnerServicesSettings services = new OwnerServicesSettings(Map.of("tax", Map.of("taxpayer-status", offered())));

        assertThat(OwnerServices.problems(services, AGENCIES, procurementCalls("tax", "taxpayer-status"))).isEmpty();
    }

    @Test
    void eachProblemNamesItsKey() {
        OwnerServicesSettings services = new OwnerServicesSettings(Map.of(
                "pensions", Map.of("pension-status", offered()),
                "tax", Map.of("Licence_Status", offered(), "licence-status", offered())));

        assertThat(OwnerServices.problems(services, AGENCIES, procurementCalls("tax", "vat-status")))
                .containsExactlyInAnyOrder(
                        "jembatan.services.pensions: unknown agency (configured agencies: "
                                + AGENCIES.agencies().keySet() + ")",
                        "jembatan.services.pensions.pension-status: no published schemas"
                                + " (schemas/v1/services/pensions/pension-status.request.schema.json and"
                                + " .response.schema.json)",
                        "jembatan.services.tax.Licence_Status: a service name is lower-case letters, digits and"
                                + " dashes, 2 to 23 characters",
                        "jembatan.services.tax.licence-status: no published schemas"
                                + " (schemas/v1/services/tax/licence-status.request.schema.json and"
                                + " .response.schema.json)",
                        "jembatan.access-policy.agencies.procurement.services.tax.vat-status: no such owner service"
                                + " (jembatan.services.tax.vat-status)");
    }
}
