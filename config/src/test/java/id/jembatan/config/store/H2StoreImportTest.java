package id.jembatan.config.store;

import id.jembatan.audit.AuditChain;
import id.jembatan.audit.AuditSettings;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Address;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bus that ran on the former default store (H2, schema version 5) is upgraded: its data folder holds an H2 file with
 * three births, two of them published and one still waiting in the outbox, and their audit entries. Result: at the
 * first start on the embedded PostgreSQL every row is there with its values, the waiting event is still in the outbox,
 * the audit chain verifies, new outbox rows get fresh ids, the H2 file is set aside, and a second start imports
 * nothing again.
 */
class H2StoreImportTest {

    @TempDir
    Path dataDir;

    private final CitizenFixtures fixtures = new CitizenFixtures();
    private EmbeddedStore store;

    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void theFormerH2StoreIsImportedOnceWithItsPendingOutboxAndAValidAuditChain() throws Exception {
        List<UUID> births = writeAsTheFormerBusDid(3);

        store = EmbeddedStore.start(dataDir, 0, Map.of(), Duration.ofSeconds(60));
        DataSource postgres = postgres();
        Flyway flyway = Flyway.configure().dataSource(postgres).locations("classpath:db/migration").load();
        H2StoreImport.importIfPresent(dataDir, flyway);
        flyway.migrate();

        JdbcClient db = JdbcClient.create(postgres);
        assertThat(db.sql("SELECT COUNT(*) FROM citizen").query(Long.class).single()).isEqualTo(3);
        assertThat(db.sql("SELECT event_id FROM citizen_event").query(UUID.class).set())
                .containsExactlyInAnyOrderElementsOf(births);
        assertThat(db.sql("SELECT event_id FROM outbox").query(UUID.class).list()).containsExactly(births.get(2));
        AuditChain chain = new AuditChain(db, postgres, Clock.systemUTC(),
                new TransactionTemplate(new DataSourceTransactionManager(postgres)),
                new AuditSettings(AuditSettings.MAX_LANES));
        try {
            assertThat(chain.verify().valid()).isTrue();
            assertThat(chain.verify().entries()).isEqualTo(3);
        } finally {
            chain.destroy();
        }
        long lastId = db.sql("SELECT MAX(id) FROM outbox").query(Long.class).single();
        db.sql("INSERT INTO outbox (event_id, created_at, event_type, nik, payload) "
                        + "SELECT event_id, received_at, event_type, nik, payload FROM citizen_event WHERE event_id = ?")
                .param(births.get(0)).update();
        assertThat(db.sql("SELECT MAX(id) FROM outbox").query(Long.class).single()).isGreaterThan(lastId);
        assertThat(H2StoreImport.h2File(dataDir)).doesNotExist();
        assertThat(dataDir.resolve("db").resolve("jembatan.mv.db.imported")).exists();

        H2StoreImport.importIfPresent(dataDir, flyway);
        assertThat(db.sql("SELECT COUNT(*) FROM citizen").query(Long.class).single()).isEqualTo(3);
    }

    /** As the bus wrote its H2 store before December 2026: schema version 5, the index, journal, outbox, chain. */
    private List<UUID> writeAsTheFormerBusDid(int count) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dataDir.resolve("db").resolve("jembatan").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        h2.setUser("sa");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").target("5").load().migrate();
        JdbcClient jdbc = JdbcClient.create(h2);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(h2));
        List<UUID> births = new ArrayList<>();
        String[] previous = {AuditChain.GENESIS};
        for (int n = 0; n < count; n++) {
            int i = n;
            BirthRegistered birth = fixtures.birth();
            Citizen c = birth.citizen();
            Address a = c.address();
            OffsetDateTime now = OffsetDateTime.now();
            String payload = CitizenFixtures.json(birth);
            // The rows as the bus wrote them at schema version 5 (today's code writes columns added since).
            tx.executeWithoutResult(s -> {
                jdbc.sql("""
                                INSERT INTO citizen (nik, family_card_number, full_name, birth_place, birth_date, sex,
                                    religion, marital_status, occupation, nationality, mother_nik, father_nik, street,
                                    rt, rw, village_code, village, district_code, district, regency_code, regency,
                                    province_code, province, postal_code, version, last_event_id, created_at,
                                    updated_at)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?,
                                        ?, ?)""")
                        .params(c.nik(), c.familyCardNumber(), c.fullName(), c.birthPlace(), c.birthDate(),
                                c.sex().name(), c.religion().name(), c.maritalStatus().name(), c.occupation(),
                                c.nationality().name(), c.motherNik(), c.fatherNik(), a.street(), a.rt(), a.rw(),
                                a.villageCode(), a.village(), a.districtCode(), a.district(), a.regencyCode(),
                                a.regency(), a.provinceCode(), a.province(), a.postalCode(), birth.eventId(), now, now)
                        .update();
                jdbc.sql("""
                                INSERT INTO citizen_event (event_id, nik, event_type, occurred_at, received_at,
                                    source_agency, channel, body_sha256, payload)
                                VALUES (?, ?, 'BirthRegistered', ?, ?, 'civil-registry', 'HTTP', ?, ?)""")
                        .params(birth.eventId(), c.nik(), birth.occurredAt(), now, "0".repeat(64), payload)
                        .update();
                jdbc.sql("""
                                INSERT INTO outbox (event_id, created_at, event_type, nik, payload)
                                VALUES (?, ?, 'BirthRegistered', ?, ?)""")
                        .params(birth.eventId(), now, c.nik(), payload)
                        .update();
                long seq = i + 1;
                Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
                String hash = AuditChain.hash(seq, at, "civil-registry", c.nik(), "EVENT_ACCEPTED", "EVENT_INGEST",
                        "fullName,nik", "HTTP", "ACCEPTED", birth.eventId().toString(), previous[0]);
                jdbc.sql("""
                                INSERT INTO audit_entry (seq, at, agency, nik, action, purpose, fields, channel, outcome,
                                    reference, prev_hash, hash)
                                VALUES (?, ?, 'civil-registry', ?, 'EVENT_ACCEPTED', 'EVENT_INGEST', 'fullName,nik',
                                        'HTTP', 'ACCEPTED', ?, ?, ?)""")
                        .params(seq, OffsetDateTime.ofInstant(at, ZoneOffset.UTC), c.nik(),
                                birth.eventId().toString(), previous[0], hash)
                        .update();
                jdbc.sql("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1").params(seq, hash).update();
                previous[0] = hash;
            });
            births.add(birth.eventId());
        }
        // The relay published the first two.
        jdbc.sql("DELETE FROM outbox WHERE event_id IN (?, ?)").params(births.get(0), births.get(1)).update();
        assertThat(Files.exists(H2StoreImport.h2File(dataDir))).isTrue();
        return births;
    }

    private DataSource postgres() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(store.jdbcUrl());
        ds.setUser(store.user());
        ds.setPassword(store.password());
        return ds;
    }
}
