package id.jembatan.complaint;

import id.jembatan.schema.rules.RegionCodes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The routing table of complaints ({@code jembatan.complaints.routes}): a complaint goes to the agency of the route of
 * its category whose region prefix is the longest start of its region code, else to its category's agency, else to
 * the default agency. Immutable.
 */
public final class ComplaintRouting {

    private final ComplaintSettings settings;
    private final List<ComplaintSettings.Route> longestFirst;

    public ComplaintRouting(ComplaintSettings settings) {
        this.settings = settings;
        this.longestFirst = settings.routes().stream()
                .sorted(Comparator.comparingInt((ComplaintSettings.Route r) -> r.regionPrefix().length()).reversed())
                .toList();
    }

    /** The agency responsible for a complaint of {@code category} (a configured one) about {@code regionCode}. */
    public String agencyFor(String category, String regionCode) {
        return longestFirst.stream()
                .filter(r -> r.category().equals(category) && regionCode.startsWith(r.regionPrefix()))
                .map(ComplaintSettings.Route::agency)
                .findFirst()
                .or(() -> Optional.ofNullable(settings.categories().get(category))
                        .map(ComplaintSettings.Category::agency).filter(a -> !a.isBlank()))
                .orElse(settings.defaultAgency());
    }

    /** Every agency a complaint can be routed or escalated to by the configuration. */
    public static Set<String> routedAgencies(ComplaintSettings settings) {
        Set<String> agencies = new LinkedHashSet<>();
        agencies.add(settings.defaultAgency());
        agencies.add(settings.supervisingAgency());
        settings.categories().values().stream().map(ComplaintSettings.Category::agency)
                .filter(a -> a != null && !a.isBlank()).forEach(agencies::add);
        settings.routes().forEach(r -> agencies.add(r.agency()));
        return agencies;
    }

    /**
     * What is wrong with the complaint settings across keys, each naming its key: agencies that do not exist, a
     * routed agency that does not receive complaints, a route of an unknown category or a region prefix that is not
     * in the official list.
     *
     * @param agencies the configured agency ids ({@code jembatan.agencies})
     */
    public static List<String> problems(ComplaintSettings settings, Set<String> agencies) {
        String key = "jembatan.complaints.";
        List<String> problems = new ArrayList<>();
        if (!settings.enabled()) {
            return problems;
        }
        if (isBlank(settings.defaultAgency())) {
            problems.add(key + "default-agency is required when jembatan.complaints.enabled is true");
        }
        if (isBlank(settings.supervisingAgency())) {
            problems.add(key + "supervising-agency is required when jembatan.complaints.enabled is true");
        }
        if (settings.categories().isEmpty()) {
            problems.add(key + "categories: at least one category is required when jembatan.complaints.enabled is"
                    + " true");
        }
        if (settings.filers().isEmpty()) {
            problems.add(key + "filers: at least one agency must be able to file complaints");
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        for (String agency : routedAgencies(settings)) {
            if (!settings.receivers().containsKey(agency)) {
                problems.add(key + "receivers." + agency + ".url is required: complaints can be routed to '" + agency
                        + "'");
            }
        }
        settings.receivers().keySet().forEach(a -> unknown(problems, key + "receivers." + a, a, agencies));
        settings.filers().forEach(a -> unknown(problems, key + "filers", a, agencies));
        settings.receiveNik().forEach(a -> unknown(problems, key + "receive-nik", a, agencies));
        unknown(problems, key + "default-agency", settings.defaultAgency(), agencies);
        unknown(problems, key + "supervising-agency", settings.supervisingAgency(), agencies);
        settings.categories().forEach((name, c) -> {
            if (c != null && c.agency() != null && !c.agency().isBlank()) {
                unknown(problems, key + "categories." + name + ".agency", c.agency(), agencies);
            }
        });
        RegionCodes regions = RegionCodes.official();
        for (int i = 0; i < settings.routes().size(); i++) {
            ComplaintSettings.Route route = settings.routes().get(i);
            String at = key + "routes[" + i + "]";
            if (route.category() != null && !settings.categories().containsKey(route.category())) {
                problems.add(at + ".category: '" + route.category() + "' is not one of jembatan.complaints.categories "
                        + settings.categories().keySet());
            }
            if (route.regionPrefix() != null && route.regionPrefix().matches("[0-9]{2,6}")
                    && !regions.exists(route.regionPrefix())) {
                problems.add(at + ".region-prefix: '" + route.regionPrefix() + "' is not in the official list of"
                        + " region codes");
            }
            if (route.agency() != null) {
                unknown(problems, at + ".agency", route.agency(), agencies);
            }
        }
        return problems;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static void unknown(List<String> problems, String key, String agency, Set<String> agencies) {
        if (agency != null && !agency.isBlank() && !agencies.contains(agency)) {
            problems.add(key + ": '" + agency + "' is not an agency of jembatan.agencies");
        }
    }
}
