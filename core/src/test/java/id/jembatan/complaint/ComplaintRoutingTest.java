package id.jembatan.complaint;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ComplaintRoutingTest {

    private static final ComplaintSettings.Receiver RECEIVER = new ComplaintSettings.Receiver(
            "https://agency.example.go.id/complaints", "a-secret-of-at-least-32-characters-long", null);

    private static ComplaintSettings settings(List<ComplaintSettings.Route> routes,
                                              Map<String, ComplaintSettings.Receiver> receivers) {
        return new ComplaintSettings(true, "complaints.delivery", "dlq.complaints", List.of("citizen-portal"),
                "ombudsman", "ombudsman", Duration.ofMinutes(1), Duration.ofMillis(500),
                Map.of("SOCIAL_ASSISTANCE", new ComplaintSettings.Category(Duration.ofHours(72), "bansos"),
                        "PUBLIC_SERVICE", new ComplaintSettings.Category(Duration.ofHours(120), null)),
                routes, receivers, List.of("bansos"), null);
    }

    @Test
    void theLongestRegionPrefixOfTheCategoryWinsThenTheCategoryAgencyThenTheDefault() {
        ComplaintRouting routing = new ComplaintRouting(settings(List.of(
                new ComplaintSettings.Route("SOCIAL_ASSISTANCE", "31", "dinsos-jakarta"),
                new ComplaintSettings.Route("SOCIAL_ASSISTANCE", "3171", "dinsos-jakarta-pusat"),
                new ComplaintSettings.Route("PUBLIC_SERVICE", "3171", "dukcapil-jakarta-pusat")), Map.of()));

        assertThat(routing.agencyFor("SOCIAL_ASSISTANCE", "3171011001")).isEqualTo("dinsos-jakarta-pusat");
        assertThat(routing.agencyFor("SOCIAL_ASSISTANCE", "3172")).isEqualTo("dinsos-jakarta");
        assertThat(routing.agencyFor("SOCIAL_ASSISTANCE", "3374011013")).isEqualTo("bansos");
        assertThat(routing.agencyFor("PUBLIC_SERVICE", "317101")).isEqualTo("dukcapil-jakarta-pusat");
        assertThat(routing.agencyFor("PUBLIC_SERVICE", "33")).isEqualTo("ombudsman");
    }

    @Test
    void unknownAgenciesCategoriesRegionsAndRoutedAgenciesWithoutAReceiverAreReportedByKey() {
        ComplaintSettings settings = settings(List.of(
                new ComplaintSettings.Route("HEALTH", "3199", "dinkes")), Map.of("bansos", RECEIVER));

        assertThat(ComplaintRouting.problems(settings, Set.of("bansos", "ombudsman", "citizen-portal")))
                .containsExactlyInAnyOrder(
                        "jembatan.complaints.receivers.ombudsman.url is required: complaints can be routed to"
                                + " 'ombudsman'",
                        "jembatan.complaints.receivers.dinkes.url is required: complaints can be routed to 'dinkes'",
                        "jembatan.complaints.routes[0].category: 'HEALTH' is not one of"
                                + " jembatan.complaints.categories " + settings.categories().keySet(),
                        "jembatan.complaints.routes[0].region-prefix: '3199' is not in the official list of region"
                                + " codes",
                        "jembatan.complaints.routes[0].agency: 'dinkes' is not an agency of jembatan.agencies");
    }

    @Test
    void complaintsSwitchedOffNeedNothing() {
        ComplaintSettings off = new ComplaintSettings(false, "q", "dlq", List.of(), null, null,
                Duration.ofMinutes(1), Duration.ofSeconds(1), Map.of(), List.of(), Map.of(), List.of(), null);

        assertThat(ComplaintRouting.problems(off, Set.of())).isEmpty();
    }
}
