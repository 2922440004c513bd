package id.jembatan.quota;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Quotas per agency, purpose and operation ({@code jembatan.quotas.*}): a default per operation for every agency and
 * purpose, and grants that give one agency (for one purpose, or for all of its purposes) other budgets, as an
 * agreement with the owner of the data does.
 *
 * @param zone     where a day begins and ends (the daily quotas, the usage counts)
 * @param defaults each operation's quota for every agency and purpose that no grant names; every operation has one
 * @param grants   other quotas for one agency: for one purpose, or without a purpose for every purpose of that
 *                 agency; the grant naming the purpose wins over the one without
 */
@ConfigurationProperties(prefix = "jembatan.quotas")
public record QuotaSettings(@NotNull @DefaultValue("Asia/Jakarta") ZoneId zone,
                            @NotNull Map<QuotaOperation, @Valid @NotNull QuotaLimit> defaults,
                            @NotNull @DefaultValue List<@Valid @NotNull Grant> grants) {

    public QuotaSettings {
        defaults = defaults == null ? null : Map.copyOf(defaults);
        grants = grants == null ? null : List.copyOf(grants);
    }

    /**
     * One agency's quota for one operation, other than the default.
     *
     * @param agency    the agency's id
     * @param purpose   the purpose it applies to; empty: every purpose of the agency without a grant of its own
     * @param operation what it is spent on
     */
    public record Grant(@NotBlank String agency, String purpose, @NotNull QuotaOperation operation,
                        @Min(1) long perSecond, @Min(1) long perDay) {

        QuotaLimit limit() {
            return new QuotaLimit(perSecond, perDay);
        }

        boolean forEveryPurpose() {
            return purpose == null || purpose.isBlank();
        }
    }

    /** Every operation has a default: a request is never left without a quota. */
    @AssertTrue(message = "must give a quota (per-second, per-day) for every operation: lookup, verification,"
            + " notification, owner-service")
    public boolean isDefaults() {
        return defaults == null || defaults.keySet().containsAll(Arrays.asList(QuotaOperation.values()));
    }

    /**
     * What only holds against other settings: each grant names a configured agency, and a lookup grant's purpose is
     * one the access policy gives that agency (the other operations' purposes are their own). Each problem names the
     * grant's key.
     *
     * @param agencies   the configured agencies' ids
     * @param purposesOf an agency's lookup purposes in the access policy
     */
    public List<String> problems(Collection<String> agencies, Function<String, Collection<String>> purposesOf) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < grants.size(); i++) {
            Grant grant = grants.get(i);
            String key = "jembatan.quotas.grants[" + i + "]";
            if (grant == null || grant.agency() == null) {
                continue;
            }
            if (!agencies.contains(grant.agency())) {
                problems.add(key + ".agency: '" + grant.agency() + "' is not a configured agency");
            } else if (grant.operation() == QuotaOperation.LOOKUP && !grant.forEveryPurpose()
                    && !purposesOf.apply(grant.agency()).contains(grant.purpose())) {
                problems.add(key + ".purpose: '" + grant.purpose() + "' is not a purpose of agency '"
                        + grant.agency() + "' in the access policy");
            }
        }
        return problems;
    }

    /** The quota of {@code agency} for {@code purpose} and {@code operation}: its grant, or the default. */
    public QuotaLimit limitOf(String agency, String purpose, QuotaOperation operation) {
        Optional<Grant> grant = grants.stream()
                .filter(g -> g.agency().equals(agency) && g.operation() == operation)
                .filter(g -> g.forEveryPurpose() || g.purpose().equals(purpose))
                // The grant for this purpose before the one for every purpose.
                .min(Comparator.comparing(Grant::forEveryPurpose));
        return grant.map(Grant::limit).orElseGet(() -> Objects.requireNonNull(defaults.get(operation),
                () -> "no default quota for " + operation.wireName()));
    }
}
