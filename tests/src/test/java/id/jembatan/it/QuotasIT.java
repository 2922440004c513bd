package id.jembatan.it;

import id.jembatan.quota.QuotaExceededException;
import id.jembatan.quota.QuotaLimit;
import id.jembatan.quota.QuotaOperation;
import id.jembatan.quota.QuotaSettings;
import id.jembatan.quota.QuotaWindow;
import id.jembatan.quota.Quotas;
import id.jembatan.schema.fixtures.SettableClock;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The quotas ({@link Quotas}) at their boundaries, on the real database of the test kit's bus (Bucket4j's buckets in
 * {@code quota_bucket}), with a clock the test moves instead of waiting: Monday 7 December 2026, 10:00 in Jakarta.
 * Each test uses agencies of its own, so its buckets are new.
 */
class QuotasIT extends BusTestSupport {

    private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");
    private static final String PURPOSE = "SOCIAL_ASSISTANCE_ELIGIBILITY";

    @Autowired
    private DataSource dataSource;

    @Autowired
    private MeterRegistry meters;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-07T03:00:00Z"));
    private final String agency = "quotas-it-" + UUID.randomUUID();

    /** 3 per second and {@code perDay} for every operation; the agency's lookups for PURPOSE: 2 per second. */
    private Quotas quotas(long perDay) {
        QuotaSettings settings = new QuotaSettings(JAKARTA,
                Arrays.stream(QuotaOperation.values()).collect(Collectors.toMap(Function.identity(),
                        operation -> new QuotaLimit(3, perDay))),
                List.of(new QuotaSettings.Grant(agency, PURPOSE, QuotaOperation.LOOKUP, 2, perDay)));
        return new Quotas(settings, dataSource, clock, meters);
    }

    private static QuotaExceededException refused(Quotas quotas, String agency, String purpose,
                                                  QuotaOperation operation) {
        QuotaExceededException refused = catchThrowableOfType(() -> quotas.check(agency, purpose, operation),
                QuotaExceededException.class);
        assertThat(refused).as("refused").isNotNull();
        return refused;
    }

    /** {@code n} requests, {@code apart} from each other, are admitted; the next is refused for {@code window}. */
    private void assertNthAdmittedThenRefused(Quotas quotas, int n, String purpose, QuotaOperation operation,
                                              Duration apart, QuotaWindow window) {
        for (int i = 0; i < n; i++) {
            quotas.check(agency, purpose, operation);
            clock.advance(apart);
        }
        assertThat(refused(quotas, agency, purpose, operation).window()).isEqualTo(window);
    }

    /**
     * An agency makes 3 verifications at 10:00:00 (its quota: 3 per second), then a 4th; one more 999 ms later; at
     * 10:00:01 3 again and a 4th. Result: the 3 are admitted and each 4th refused with window per-second, limit 3 and
     * Retry-After 1 s; at 10:00:00.999 still refused; the next second admits 3 again. {@code jembatan.quota.requests}
     * counted every one of them: 6 admitted, 3 refused per second.
     */
    @Test
    void perSecondTheNthIsAdmittedAndTheNextRefused() {
        Quotas quotas = quotas(1000);
        for (int i = 0; i < 3; i++) {
            quotas.check(agency, "IDENTITY_VERIFICATION", QuotaOperation.VERIFICATION);
        }

        QuotaExceededException fourth = refused(quotas, agency, "IDENTITY_VERIFICATION", QuotaOperation.VERIFICATION);

        assertThat(fourth.window()).isEqualTo(QuotaWindow.SECOND);
        assertThat(fourth.limit()).isEqualTo(3);
        assertThat(fourth.retryAfterSeconds()).isEqualTo(1);
        assertThat(fourth.quota()).containsEntry("operation", "verification").containsEntry("window", "per-second");

        clock.advance(Duration.ofMillis(999));
        refused(quotas, agency, "IDENTITY_VERIFICATION", QuotaOperation.VERIFICATION);

        clock.advance(Duration.ofMillis(1));
        assertNthAdmittedThenRefused(quotas, 3, "IDENTITY_VERIFICATION", QuotaOperation.VERIFICATION, Duration.ZERO,
                QuotaWindow.SECOND);
        assertThat(counted("admitted")).isEqualTo(6);
        assertThat(counted("refused-per-second")).isEqualTo(3);
    }

    /** What {@code jembatan.quota.requests} counted for this test's agency's verifications with {@code outcome}. */
    private double counted(String outcome) {
        return meters.get("jembatan.quota.requests").tag("agency", agency).tag("purpose", "IDENTITY_VERIFICATION")
                .tag("operation", "verification").tag("outcome", outcome).counter().count();
    }

    /**
     * An agency sends 5 notifications on Monday (its quota: 5 per day), one a second from 10:00, then a 6th; one
     * more at 23:59:59.999; then 5 from midnight and a 6th. Result: the 5 are admitted; the 6th is refused with window
     * per-day, limit 5 and Retry-After 50,395 s (until midnight in Jakarta, not a second); at 23:59:59.999 still
     * refused; from midnight (Tuesday) 5 are admitted and the 6th refused again.
     */
    @Test
    void perDayTheNthIsAdmittedAndTheNextRefusedUntilMidnightInJakarta() {
        Quotas quotas = quotas(5);
        for (int i = 0; i < 5; i++) {
            quotas.check(agency, "OWNER_NOTIFICATION", QuotaOperation.NOTIFICATION);
            clock.advance(Duration.ofSeconds(1));
        }

        QuotaExceededException sixth = refused(quotas, agency, "OWNER_NOTIFICATION", QuotaOperation.NOTIFICATION);

        assertThat(sixth.window()).isEqualTo(QuotaWindow.DAY);
        assertThat(sixth.limit()).isEqualTo(5);
        assertThat(sixth.retryAfterSeconds()).isEqualTo(Duration.ofHours(14).minusSeconds(5).toSeconds());

        clock.set(Instant.parse("2026-12-07T23:59:59.999+07:00"));
        assertThat(refused(quotas, agency, "OWNER_NOTIFICATION", QuotaOperation.NOTIFICATION).window())
                .isEqualTo(QuotaWindow.DAY);

        clock.set(Instant.parse("2026-12-08T00:00:00+07:00"));
        assertNthAdmittedThenRefused(quotas, 5, "OWNER_NOTIFICATION", QuotaOperation.NOTIFICATION,
                Duration.ofSeconds(1), QuotaWindow.DAY);
    }

    /**
     * The agency has a grant of 2 lookups per second for one purpose, the default (3) for the others. It uses up the
     * granted purpose. Result: its third lookup for that purpose is refused with limit 2, while a lookup for another
     * purpose, its verification and another agency's lookup for the same purpose are admitted: each agency, purpose
     * and operation has its own quota.
     */
    @Test
    void eachAgencyPurposeAndOperationHasItsOwnQuota() {
        Quotas quotas = quotas(1000);
        quotas.check(agency, PURPOSE, QuotaOperation.LOOKUP);
        quotas.check(agency, PURPOSE, QuotaOperation.LOOKUP);

        assertThat(refused(quotas, agency, PURPOSE, QuotaOperation.LOOKUP).limit()).isEqualTo(2);
        assertThatCode(() -> quotas.check(agency, "PATIENT_IDENTIFICATION", QuotaOperation.LOOKUP))
                .doesNotThrowAnyException();
        assertThatCode(() -> quotas.check(agency, PURPOSE, QuotaOperation.OWNER_SERVICE))
                .doesNotThrowAnyException();
        assertThatCode(() -> quotas.check(agency + "-other", PURPOSE, QuotaOperation.LOOKUP))
                .doesNotThrowAnyException();
    }

    /**
     * Two bus instances (two Quotas on the one database) answer the same agency, 3 verifications per second: the
     * first admits 2, the second 1. Result: the second's next one is refused, and so is the first's: the instances
     * count against one quota.
     */
    @Test
    void busInstancesOnOneDatabaseShareTheQuota() {
        Quotas first = quotas(1000);
        Quotas second = quotas(1000);
        first.check(agency, "IDENTITY_VERIFICATION", QuotaOperation.VERIFICATION);
        first.check(agency, "IDENTITY_VERIFICATION", QuotaOperation.VERIFICATION);
        second.check(agency, "IDENTITY_VERIFICATION", QuotaOperation.VERIFICATION);

        refused(second, agency, "IDENTITY_VERIFICATION", QuotaOperation.VERIFICATION);
        refused(first, agency, "IDENTITY_VERIFICATION", QuotaOperation.VERIFICATION);
    }

    /**
     * An agency makes a verification; the test watches the quota's database connections. Result: its transaction
     * commits with {@code synchronous_commit} off (it does not wait for the disk), and the connection is back to the
     * server's setting after the commit (on): the setting is the transaction's only, never the pooled connection's,
     * so an audit entry written on it later still waits for the disk.
     */
    @Test
    void aQuotasTransactionCommitsWithoutWaitingForTheDiskAndOnlyIt() {
        List<String> beforeCommit = new ArrayList<>();
        List<String> afterCommit = new ArrayList<>();
        DataSource watched = new DelegatingDataSource(dataSource) {
            @Override
            public Connection getConnection() throws SQLException {
                Connection connection = super.getConnection();
                return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[]{Connection.class}, (proxy, method, arguments) -> {
                            boolean commit = method.getName().equals("commit");
                            if (commit) {
                                beforeCommit.add(synchronousCommit(connection));
                            }
                            Object result = method.invoke(connection, arguments);
                            if (commit) {
                                afterCommit.add(synchronousCommit(connection));
                            }
                            return result;
                        });
            }
        };
        Quotas quotas = new Quotas(new QuotaSettings(JAKARTA, Arrays.stream(QuotaOperation.values())
                .collect(Collectors.toMap(Function.identity(), operation -> new QuotaLimit(3, 1000))), List.of()),
                watched, clock, meters);

        quotas.check(agency, "IDENTITY_VERIFICATION", QuotaOperation.VERIFICATION);

        assertThat(beforeCommit).isNotEmpty().containsOnly("off");
        assertThat(afterCommit).hasSameSizeAs(beforeCommit).containsOnly("on");
    }

    private static String synchronousCommit(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet setting = statement.executeQuery("SHOW synchronous_commit")) {
            setting.next();
            return setting.getString(1);
        }
    }

    /**
     * Twelve requests reach a quota nobody used before (its row does not exist yet) at the same moment, on twelve
     * threads; the quota admits 3 a second. Result: none fails with an error (Bucket4j's batching does not make a
     * missing row itself: a first batch of several requests used to fail as a whole, answered 500); exactly 3 are
     * admitted and 9 refused for the second.
     */
    @Test
    void aNewQuotasFirstRequestsAtOnceAreCountedNotFailed() throws Exception {
        Quotas quotas = quotas(1000);
        ExecutorService threads = Executors.newFixedThreadPool(12);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(threads.submit(() -> {
                    start.await();
                    try {
                        quotas.check(agency, "IDENTITY_VERIFICATION", QuotaOperation.VERIFICATION);
                        return true;
                    } catch (QuotaExceededException refused) {
                        return false;
                    }
                }));
            }
            start.countDown();
            List<Boolean> admitted = new ArrayList<>();
            for (Future<Boolean> answer : answers) {
                admitted.add(answer.get(30, TimeUnit.SECONDS));
            }
            assertThat(admitted).filteredOn(Boolean::booleanValue).hasSize(3);
        } finally {
            threads.shutdownNow();
        }
    }
}
