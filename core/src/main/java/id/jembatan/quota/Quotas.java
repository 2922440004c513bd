package id.jembatan.quota;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.VerboseResult;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Service;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one quota mechanism of the bus: every request an agency makes for a purpose (a lookup, REST or FHIR, a
 * verification, a notification, a question to an owner service) takes one token from that agency's quota for that
 * purpose and operation, before anything is read or recorded. A quota has two budgets (Bucket4j bandwidths of one
 * bucket, taken from together or not at all): {@code per-second} requests in each second counted from the quota's
 * first use, and {@code per-day} requests in each calendar day of {@code jembatan.quotas.zone} (refilled whole at
 * midnight). Exact at the boundary: the Nth request of a second or a day is admitted, the N+1th refused.
 *
 * <p>The buckets live in the bus's database (table {@code quota_bucket}, one row per agency, purpose, operation and
 * quota; each request locks its row for one short transaction), so several bus instances on one PostgreSQL share
 * them: an agency's 200,000 a day are 200,000 a day, however many instances answer it. Requests of one instance to
 * one quota at the same moment share one transaction (Bucket4j's batching), so a busy agency costs a commit per
 * batch, not per request; that commit does not wait for the disk ({@link QuotaTransactions}: a crash of the database
 * may forget the last moment's tokens, never an audit entry). A quota whose numbers change starts afresh (the numbers
 * are part of the row's key).
 *
 * <p>For a new operation (the owner services): call {@link #check(String, String, QuotaOperation)} with the
 * authenticated agency, the purpose it declared (one the access policy knows, so that what a caller writes never
 * becomes a row or a metric) and the operation, before the work; it returns when the request is within the quota and
 * throws {@link QuotaExceededException} otherwise, which the HTTP API answers 429 with {@code Retry-After} and the
 * quota named, the FHIR server as an OperationOutcome.
 */
@Service
@DependsOn("configurationCheck")
public class Quotas {

    /** The table of the buckets (Flyway V17). */
    static final String TABLE = "quota_bucket";

    private static final Logger log = LoggerFactory.getLogger(Quotas.class);
    private static final int PER_DAY = 1;

    private final QuotaSettings settings;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ProxyManager<String> buckets;
    /**
     * Each quota as this instance uses it, made on its first request and kept: its limits, its proxy (one per quota,
     * so that requests to it at the same moment share a transaction, Bucket4j's batching) and its counters. The keys
     * are agency, a purpose the policy knows and an operation: a bounded set. Built per request, the grants' walk and
     * the counter's registration cost more than the token itself (docs/performance.md).
     */
    private final Map<QuotaKey, Quota> quotas = new ConcurrentHashMap<>();

    public Quotas(QuotaSettings settings, DataSource dataSource, Clock clock, MeterRegistry meters) {
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
        // Each token's transaction commits without waiting for the disk (QuotaTransactions says what that gives up).
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(new QuotaTransactions(dataSource))
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(TABLE)
                .idColumn("id")
                .stateColumn("state")
                // The bus's clock, not the database's: the same time as the audit chain's, and one a test controls.
                .clientClock(new ClockTimeMeter(clock))
                .build();
    }

    /**
     * Takes one request of {@code agency} for {@code purpose} from its quota for {@code operation}.
     *
     * @param purpose a purpose the access policy knows (or the operation's fixed purpose), never a caller's free text
     * @throws QuotaExceededException when the quota's second or day is used up, naming which, with the time until
     *                                it admits a request again
     */
    public void check(String agency, String purpose, QuotaOperation operation) {
        Quota quota = quotas.computeIfAbsent(new QuotaKey(agency, purpose, operation), this::quota);
        VerboseResult<ConsumptionProbe> result = quota.bucket().asVerbose().tryConsumeAndReturnRemaining(1);
        ConsumptionProbe probe = result.getValue();
        if (probe.isConsumed()) {
            quota.admitted().increment();
            return;
        }
        QuotaLimit limit = quota.limit();
        QuotaWindow window = result.getState().getCurrentSize(PER_DAY) < 1 ? QuotaWindow.DAY : QuotaWindow.SECOND;
        counter(quota.key(), "refused-" + window.wireName()).increment();
        // Debug only: a line per refusal would flood the log during the very flood this guards against.
        log.debug("Quota {} {} used up", quota.id(), window.wireName());
        throw new QuotaExceededException(agency, purpose, operation, window,
                window == QuotaWindow.DAY ? limit.perDay() : limit.perSecond(),
                Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** A quota's first request on this instance: its limits (grant or default), its row and proxy, its counter. */
    private Quota quota(QuotaKey key) {
        QuotaLimit limit = settings.limitOf(key.agency(), key.purpose(), key.operation());
        String id = String.join("/", key.agency(), key.purpose(), key.operation().wireName(),
                limit.perSecond() + "s", limit.perDay() + "d");
        return new Quota(key, id, limit, batched(id, limit), counter(key, "admitted"));
    }

    /**
     * The quota's bucket for this instance: its row made first (a plain request creates a missing row), then a proxy
     * that batches: requests waiting for the row's lock go together in the next transaction (still exact, but one
     * commit for many, not one each in turn). Bucket4j's batching does not create a missing row itself: a first batch
     * of several requests to a new quota failed as a whole ({@code BucketNotFoundException}).
     */
    private Bucket batched(String key, QuotaLimit limit) {
        buckets.builder().build(key, () -> configuration(limit)).getAvailableTokens();
        return buckets.builder().withOptimization(Optimizations.batching()).build(key, () -> configuration(limit));
    }

    /**
     * A new quota: both budgets full; the second's refilled every whole second from now, the day's at every
     * midnight of the zone.
     */
    private BucketConfiguration configuration(QuotaLimit limit) {
        Instant midnight = LocalDate.now(clock.withZone(settings.zone())).plusDays(1)
                .atStartOfDay(settings.zone()).toInstant();
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(limit.perSecond())
                        .refillIntervally(limit.perSecond(), Duration.ofSeconds(1)).id("per-second").build())
                .addLimit(Bandwidth.builder().capacity(limit.perDay())
                        .refillIntervallyAligned(limit.perDay(), Duration.ofDays(1), midnight).id("per-day").build())
                .build();
    }

    /** {@code jembatan.quota.requests}: what each quota admitted and refused, by agency, purpose and operation. */
    private Counter counter(QuotaKey key, String outcome) {
        return Counter.builder("jembatan.quota.requests")
                .description("Requests counted against a quota, by agency, purpose, operation and outcome")
                .tag("agency", key.agency()).tag("purpose", key.purpose())
                .tag("operation", key.operation().wireName()).tag("outcome", outcome)
                .register(meters);
    }

    /**
     * Whose quota: an agency's for a purpose and an operation. Its equality is written out: the record's generated
     * one goes through method handles, which showed in the profile of every lookup.
     */
    private record QuotaKey(String agency, String purpose, QuotaOperation operation) {

        @Override
        public boolean equals(Object other) {
            return other instanceof QuotaKey key && operation == key.operation && agency.equals(key.agency)
                    && Objects.equals(purpose, key.purpose);
        }

        @Override
        public int hashCode() {
            return (agency.hashCode() * 31 + Objects.hashCode(purpose)) * 31 + operation.hashCode();
        }
    }

    /**
     * One quota on this instance.
     *
     * @param id       its row's key in {@code quota_bucket}: who, what for, and its numbers (new numbers, new row)
     * @param admitted {@code jembatan.quota.requests} with outcome {@code admitted} (refusals look theirs up: rare)
     */
    private record Quota(QuotaKey key, String id, QuotaLimit limit, Bucket bucket, Counter admitted) {
    }

    /** Bucket4j's time from a {@link Clock}: wall-clock time, so that a day ends at midnight. */
    private record ClockTimeMeter(Clock clock) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
