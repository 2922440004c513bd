package id.jembatan.bench;

import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Address;
import id.jembatan.schema.model.Citizen;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Fills the master index for the lookup run: synthetic citizens from the fixture factory, written straight into the
 * {@code citizen} table through the bus's own DataSource with PostgreSQL's {@code COPY}, a chunk per transaction
 * (ingesting them one by one would measure ingest again, and take long; JDBC batches of inserts managed about 2,800
 * rows/s here, too slow for an index of a million). Returns who was seeded.
 */
public final class CitizenSeeder {

    /** A seeded citizen: what a lookup names and what a verification compares. */
    public record Seeded(String nik, String fullName, LocalDate birthDate) {
    }

    private static final int CHUNK = 20_000;
    private static final String COPY = """
            COPY citizen (nik, family_card_number, full_name, birth_place, birth_date, sex, religion,
                          marital_status, occupation, nationality, mother_nik, father_nik, spouse_nik, street,
                          rt, rw, village_code, village, district_code, district, regency_code, regency,
                          province_code, province, postal_code, date_of_death, place_of_death, version,
                          updated_at, last_event_id, created_at)
            FROM STDIN WITH (FORMAT csv)""";

    private CitizenSeeder() {
    }

    public static List<Seeded> seed(DataSource dataSource, CitizenFixtures fixtures, int count)
            throws SQLException, IOException {
        List<Seeded> seeded = new ArrayList<>(count);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder csv = new StringBuilder();
            for (int i = 0; i < count; i++) {
                Citizen c = fixtures.citizen();
                Address a = c.address();
                Object[] values = {c.nik(), c.familyCardNumber(), c.fullName(), c.birthPlace(), c.birthDate(),
                        c.sex().name(), c.religion().name(), c.maritalStatus().name(), c.occupation(),
                        c.nationality().name(), c.motherNik(), c.fatherNik(), null, a.street(), a.rt(), a.rw(),
                        a.villageCode(), a.village(), a.districtCode(), a.district(), a.regencyCode(),
                        a.regency(), a.provinceCode(), a.province(), a.postalCode(), null, null, 1L, now,
                        UUID.randomUUID(), now};
                for (int p = 0; p < values.length; p++) {
                    if (p > 0) {
                        csv.append(',');
                    }
                    if (values[p] != null) { // an unquoted empty field is NULL in COPY's CSV format
                        csv.append('"').append(values[p].toString().replace("\"", "\"\"")).append('"');
                    }
                }
                csv.append('\n');
                seeded.add(new Seeded(c.nik(), c.fullName(), c.birthDate()));
                if ((i + 1) % CHUNK == 0 || i == count - 1) {
                    copy.copyIn(COPY, new StringReader(csv.toString()));
                    connection.commit();
                    csv.setLength(0);
                }
            }
        }
        return seeded;
    }
}
