package id.jembatan.index;

import id.jembatan.connector.CitizenDirectory;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.model.Address;
import id.jembatan.schema.model.AddressChanged;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.schema.model.DivorceRegistered;
import id.jembatan.schema.model.MaritalStatus;
import id.jembatan.schema.model.MarriageRegistered;
import id.jembatan.schema.model.NameChanged;
import id.jembatan.schema.model.Nationality;
import id.jembatan.schema.model.Religion;
import id.jembatan.schema.model.Sex;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The master citizen index: the current record per NIK. Events change it only through {@link #apply}, which
 * enforces the domain rules (no second birth, no change after death, a marriage only between registered, living
 * adults, ...) under a row lock so that concurrent events of one citizen apply one after the other. Event dates,
 * not arrival order, decide which address is current: a move dated before the one the index holds is superseded.
 */
@Repository
public class MasterCitizenIndex implements CitizenDirectory {

    private static final String COLUMNS = """
            nik, family_card_number, full_name, birth_place, birth_date, sex, religion, marital_status, occupation,
            nationality, mother_nik, father_nik, spouse_nik, street, rt, rw, village_code, village, district_code,
            district, regency_code, regency, province_code, province, postal_code, date_of_death, place_of_death,
            version, updated_at""";

    private static final RowMapper<CitizenRecord> ROW = MasterCitizenIndex::map;

    /**
     * The minimum age for marriage, for both spouses: Law No. 16 of 2019 amending Indonesia's Marriage Law (Law No. 1
     * of 1974), article 7(1). A court's dispensation below it is registered by the civil registry outside the bus.
     */
    public static final int MINIMUM_MARRIAGE_AGE = 19;

    /** What {@link #apply} did with an event. */
    public enum Outcome {
        /** The record now reflects the event. */
        APPLIED,
        /**
         * The event is valid but older than what the record holds (a move dated before the current address took
         * effect): the record is unchanged, and the agencies need not hear of it.
         */
        SUPERSEDED
    }

    /**
     * What {@link #change} did with an event, and the record's version after it.
     *
     * @param version the version the event gave the record (1 for a birth); null when it was superseded
     */
    public record Change(Outcome outcome, Long version) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    public MasterCitizenIndex(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Optional<CitizenRecord> find(String nik) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM citizen WHERE nik = ?").param(nik).query(ROW).optional();
    }

    /** The current records of those of {@code niks} that are registered, in one query. */
    public List<CitizenRecord> findAll(Collection<String> niks) {
        if (niks.isEmpty()) {
            return List.of();
        }
        List<String> distinct = niks.stream().distinct().toList();
        return jdbc.sql("SELECT " + COLUMNS + " FROM citizen WHERE nik IN ("
                        + String.join(", ", Collections.nCopies(distinct.size(), "?")) + ")")
                .params(distinct).query(ROW).list();
    }

    @Override
    public Optional<Citizen> citizen(String nik) {
        return find(nik).map(CitizenRecord::citizen);
    }

    @Override
    public int livingMinorChildren(String parentNik, LocalDate asOf) {
        return livingMinorChildren(List.of(parentNik), asOf).get(parentNik);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One query for all of them (a birth delivered to the tax office asks for the child and both parents): a
     * UNION of the children by mother and by father, grouped by parent (a child counted once per parent), rather
     * than one {@code OR} of the two columns: each branch of the UNION uses its own index.
     */
    @Override
    public Map<String, Integer> livingMinorChildren(Collection<String> parentNiks, LocalDate asOf) {
        List<String> niks = parentNiks.stream().distinct().toList();
        Map<String, Integer> counts = new LinkedHashMap<>();
        niks.forEach(nik -> counts.put(nik, 0));
        if (niks.isEmpty()) {
            return counts;
        }
        LocalDate bornAfter = asOf.minusYears(18);
        // One array parameter, whatever the number of NIKs (a tax batch asks for up to three per event): one
        // statement the driver prepares once.
        String[] parents = niks.toArray(String[]::new);
        jdbc.sql("SELECT parent, COUNT(*) FROM ("
                        + " SELECT mother_nik AS parent, nik FROM citizen"
                        + " WHERE mother_nik = ANY (?::varchar[]) AND date_of_death IS NULL AND birth_date > ?"
                        + " UNION"
                        + " SELECT father_nik AS parent, nik FROM citizen"
                        + " WHERE father_nik = ANY (?::varchar[]) AND date_of_death IS NULL AND birth_date > ?"
                        + ") children GROUP BY parent")
                .params(parents, bornAfter, parents, bornAfter)
                .query(rs -> {
                    counts.put(rs.getString(1), rs.getInt(2));
                });
        return counts;
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM citizen").query(Long.class).single();
    }

    /**
     * The next {@code limit} records after {@code afterNik} in NIK order (keyset pagination: each page is an index
     * range read, however deep into the index it starts), only those changed after {@code changedAfter} when it is
     * given.
     *
     * @param afterNik     the last NIK of the previous page, null for the first page
     * @param changedAfter null for every record
     */
    public List<CitizenRecord> page(String afterNik, OffsetDateTime changedAfter, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM citizen WHERE nik > ?");
        List<Object> params = new ArrayList<>();
        params.add(afterNik == null ? "" : afterNik);
        if (changedAfter != null) {
            sql.append(" AND updated_at > ?");
            params.add(changedAfter);
        }
        sql.append(" ORDER BY nik LIMIT ?");
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params).query(ROW).list();
    }

    /** How many records {@link #page} walks through: all, or those changed after {@code changedAfter}. */
    public long count(OffsetDateTime changedAfter) {
        return changedAfter == null ? count() : jdbc.sql("SELECT COUNT(*) FROM citizen WHERE updated_at > ?")
                .param(changedAfter).query(Long.class).single();
    }

    /**
     * Applies a validated event to the index, inside the caller's transaction.
     *
     * @return {@link Outcome#APPLIED}, or {@link Outcome#SUPERSEDED} for an {@code AddressChanged} whose
     *         {@code occurredAt} lies before that of the event that gave the current address (the record is then
     *         unchanged: an older move never replaces a newer one, whatever order they arrive in)
     * @throws JembatanException with a 409 code when the event contradicts what the index holds
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Outcome apply(CitizenEvent event) {
        return change(event).outcome();
    }

    /**
     * Applies a validated event as {@link #apply} does and tells the record's version after it (the outbox row
     * carries it), without a query of its own. A refusal writes nothing and leaves the transaction usable (a birth
     * of a registered NIK does not break a constraint: it inserts nothing), so the events of a group need no
     * savepoint each.
     *
     * @throws JembatanException with a 409 code when the event contradicts what the index holds (the caller's
     *                           transaction is not marked for rollback: nothing was written)
     */
    @Transactional(propagation = Propagation.MANDATORY, noRollbackFor = JembatanException.class)
    public Change change(CitizenEvent event) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        if (event instanceof BirthRegistered birth) {
            register(birth, now);
            return new Change(Outcome.APPLIED, 1L);
        }
        CitizenRecord current = lockForChange(event);
        long version;
        if (event instanceof DeathRegistered death) {
            notBeforeBirth(current, death.dateOfDeath(), "/dateOfDeath");
            version = update(event, now, "date_of_death = ?, place_of_death = ?", death.dateOfDeath(), death.placeOfDeath());
        } else if (event instanceof AddressChanged moved) {
            Optional<OffsetDateTime> since = addressSince(moved.nik());
            if (since.isPresent() && moved.occurredAt().isBefore(since.get())) {
                return new Change(Outcome.SUPERSEDED, null);
            }
            Address a = moved.address();
            version = update(event, now, """
                            street = ?, rt = ?, rw = ?, village_code = ?, village = ?, district_code = ?, \
                            district = ?, regency_code = ?, regency = ?, province_code = ?, province = ?, \
                            postal_code = ?, address_since = ?""",
                    a.street(), a.rt(), a.rw(), a.villageCode(), a.village(), a.districtCode(), a.district(),
                    a.regencyCode(), a.regency(), a.provinceCode(), a.province(), a.postalCode(),
                    moved.occurredAt());
        } else if (event instanceof NameChanged renamed) {
            version = update(event, now, "full_name = ?", renamed.fullName());
        } else if (event instanceof MarriageRegistered marriage) {
            notBeforeBirth(current, marriage.dateOfMarriage(), "/dateOfMarriage");
            if (current.citizen().maritalStatus() == MaritalStatus.MARRIED) {
                throw conflict(ErrorCode.CITIZEN_ALREADY_MARRIED, "/nik",
                        "the citizen is already married; register the divorce or death first");
            }
            CitizenRecord spouse = find(marriage.spouseNik()).orElseThrow(() -> conflict(ErrorCode.SPOUSE_UNKNOWN,
                    "/spouseNik", "no citizen with the spouse's NIK is registered; register the spouse first"));
            if (spouse.deceased()) {
                throw conflict(ErrorCode.SPOUSE_DECEASED, "/spouseNik", "the spouse's death is registered");
            }
            ofMarriageAge(current, marriage.dateOfMarriage(), "/nik", "the citizen");
            ofMarriageAge(spouse, marriage.dateOfMarriage(), "/spouseNik", "the spouse");
            version = update(event, now, "marital_status = ?, spouse_nik = ?", MaritalStatus.MARRIED.name(),
                    marriage.spouseNik());
        } else if (event instanceof DivorceRegistered divorce) {
            notBeforeBirth(current, divorce.dateOfDivorce(), "/dateOfDivorce");
            if (current.citizen().maritalStatus() != MaritalStatus.MARRIED
                    || !divorce.spouseNik().equals(current.spouseNik())) {
                throw conflict(ErrorCode.CITIZEN_NOT_MARRIED_TO_SPOUSE, "/spouseNik",
                        "the citizen is not married to this spouse");
            }
            version = update(event, now, "marital_status = ?, spouse_nik = ?", MaritalStatus.DIVORCED.name(),
                    null);
        } else {
            throw new IllegalArgumentException("no rule for " + event.eventType());
        }
        return new Change(Outcome.APPLIED, version);
    }

    /** When the current address took effect (null for records from before it was kept: any move applies). */
    private Optional<OffsetDateTime> addressSince(String nik) {
        return jdbc.sql("SELECT address_since FROM citizen WHERE nik = ?").param(nik)
                .query((rs, row) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)))
                .single();
    }

    private static void ofMarriageAge(CitizenRecord person, LocalDate dateOfMarriage, String pointer, String who) {
        if (person.citizen().birthDate().plusYears(MINIMUM_MARRIAGE_AGE).isAfter(dateOfMarriage)) {
            throw conflict(ErrorCode.MARRIAGE_BELOW_MINIMUM_AGE, pointer, who + " is younger than "
                    + MINIMUM_MARRIAGE_AGE + " on the date of marriage, the minimum age of Indonesia's marriage law");
        }
    }

    private void register(BirthRegistered birth, OffsetDateTime now) {
        Citizen c = birth.citizen();
        Address a = c.address();
        // ON CONFLICT: a registered NIK inserts nothing instead of failing the statement, which would end the whole
        // transaction (an inbound batch, an HTTP group) and not this birth alone. A concurrent birth of the same
        // NIK is waited for: inserted nothing when it commits, inserted when it rolls back.
        int inserted = jdbc.sql("INSERT INTO citizen (" + COLUMNS + ", last_event_id, created_at, address_since)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?, ?, ?, ?) ON CONFLICT (nik) DO NOTHING")
                .params(c.nik(), c.familyCardNumber(), c.fullName(), c.birthPlace(), c.birthDate(),
                        c.sex().name(), c.religion().name(), c.maritalStatus().name(), c.occupation(),
                        c.nationality().name(), c.motherNik(), c.fatherNik(), null, a.street(), a.rt(), a.rw(),
                        a.villageCode(), a.village(), a.districtCode(), a.district(), a.regencyCode(),
                        a.regency(), a.provinceCode(), a.province(), a.postalCode(), null, null, 1L, now,
                        birth.eventId(), now, birth.occurredAt())
                .update();
        if (inserted == 0) {
            throw conflict(ErrorCode.CITIZEN_ALREADY_REGISTERED, "/citizen/nik",
                    "a citizen with this NIK is already registered");
        }
    }

    private CitizenRecord lockForChange(CitizenEvent event) {
        CitizenRecord current = jdbc.sql("SELECT " + COLUMNS + " FROM citizen WHERE nik = ? FOR UPDATE")
                .param(event.subjectNik())
                .query(ROW)
                .optional()
                .orElseThrow(() -> conflict(ErrorCode.CITIZEN_UNKNOWN, "/nik",
                        "no citizen with this NIK is registered"));
        if (current.deceased()) {
            ErrorCode code = event instanceof DeathRegistered
                    ? ErrorCode.CITIZEN_ALREADY_DECEASED : ErrorCode.CITIZEN_DECEASED;
            throw conflict(code, "/nik", "the citizen's death was registered on " + current.dateOfDeath());
        }
        return current;
    }

    private static void notBeforeBirth(CitizenRecord current, LocalDate date, String pointer) {
        if (date.isBefore(current.citizen().birthDate())) {
            throw conflict(ErrorCode.EVENT_BEFORE_BIRTH, pointer,
                    "date " + date + " lies before the citizen's birth date");
        }
    }

    /** Updates the locked record; returns its new version. */
    private long update(CitizenEvent event, OffsetDateTime now, String assignments, Object... values) {
        List<Object> params = new ArrayList<>(Arrays.asList(values));
        params.add(event.eventId());
        params.add(now);
        params.add(event.subjectNik());
        return jdbc.sql("UPDATE citizen SET " + assignments
                        + ", version = version + 1, last_event_id = ?, updated_at = ? WHERE nik = ? RETURNING version")
                .params(params)
                .query(Long.class)
                .optional()
                .orElseThrow(() -> new IllegalStateException("locked citizen row vanished"));
    }

    private static JembatanException conflict(ErrorCode code, String pointer, String message) {
        return JembatanException.of(List.of(new FieldError(code, pointer, message)));
    }

    private static CitizenRecord map(ResultSet rs, int row) throws SQLException {
        Address address = new Address(rs.getString("street"), rs.getString("rt"), rs.getString("rw"),
                rs.getString("village_code"), rs.getString("village"), rs.getString("district_code"),
                rs.getString("district"), rs.getString("regency_code"), rs.getString("regency"),
                rs.getString("province_code"), rs.getString("province"), rs.getString("postal_code"));
        Citizen citizen = new Citizen(rs.getString("nik"), rs.getString("family_card_number"),
                rs.getString("full_name"), rs.getString("birth_place"), rs.getObject("birth_date", LocalDate.class),
                Sex.valueOf(rs.getString("sex")), Religion.valueOf(rs.getString("religion")),
                MaritalStatus.valueOf(rs.getString("marital_status")), rs.getString("occupation"),
                Nationality.valueOf(rs.getString("nationality")), rs.getString("mother_nik"),
                rs.getString("father_nik"), address);
        return new CitizenRecord(citizen, rs.getString("spouse_nik"), rs.getObject("date_of_death", LocalDate.class),
                rs.getString("place_of_death"), rs.getLong("version"),
                rs.getObject("updated_at", OffsetDateTime.class));
    }
}
