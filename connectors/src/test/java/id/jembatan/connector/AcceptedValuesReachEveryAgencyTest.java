package id.jembatan.connector;

import id.jembatan.connector.health.HealthFhir;
import id.jembatan.connector.health.HealthTranslator;
import id.jembatan.connector.health.PatientReader;
import id.jembatan.connector.health.R4Validator;
import id.jembatan.connector.licensing.LicenceUpdate;
import id.jembatan.connector.licensing.LicensingCsv;
import id.jembatan.connector.licensing.LicensingTranslator;
import id.jembatan.connector.tax.TaxTranslator;
import id.jembatan.connector.tax.TaxXml;
import id.jembatan.connector.tax.XmlTimestamps;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.fixtures.HostileEvents;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.schema.model.Sex;
import id.jembatan.schema.rules.DateRange;
import id.jembatan.schema.rules.RegionCodes;
import id.jembatan.schema.tax.v1.TaxpayerChange;
import id.jembatan.schema.tax.v1.TaxpayerRegistration;
import id.jembatan.schema.validation.EventValidator;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What the bus accepts, every agency can carry: each date and offset at and around the edges of what the validator
 * accepts ({@link DateRange}), and a seeded random sample between them, goes through {@link EventValidator} and then
 * through the tax office's XML (marshalled against taxpayer.xsd and read back), the health FHIR Patient (valid for
 * HAPI's R4 validator) and the licensing CSV (written and read back), unchanged. Just outside the edges the validator
 * refuses with {@code DATE_OUT_OF_RANGE}, so nothing it accepts can fail at an agency for its date.
 */
class AcceptedValuesReachEveryAgencyTest {

    /** 10:00 on 1 December 2026 in Jakarta. */
    private static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final LocalDate TODAY = LocalDate.of(2026, 12, 1);
    private static final EventValidator VALIDATOR = new EventValidator(RegionCodes.official(), CLOCK);
    private static final CitizenFixtures FIXTURES = new CitizenFixtures(CLOCK);
    private static final TaxTranslator TAX = new TaxTranslator();
    private static final HealthTranslator HEALTH = new HealthTranslator(CLOCK);
    private static final LicensingTranslator LICENSING = new LicensingTranslator();
    private static final long SEED = 20261201L;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    /** The edges (1900, its missing leap day, the years Jakarta's offset was not whole), and a random sample. */
    static Stream<LocalDate> acceptedDates() {
        List<LocalDate> dates = new ArrayList<>(List.of(DateRange.EARLIEST_DATE, LocalDate.of(1900, 1, 2),
                LocalDate.of(1900, 2, 28), LocalDate.of(1900, 3, 1), LocalDate.of(1904, 2, 29),
                LocalDate.of(1923, 12, 31), LocalDate.of(1924, 1, 1), LocalDate.of(1945, 8, 17),
                LocalDate.of(1969, 12, 31), LocalDate.of(1970, 1, 1), LocalDate.of(1999, 12, 31),
                LocalDate.of(2000, 1, 1), LocalDate.of(2000, 2, 29), LocalDate.of(2024, 2, 29), TODAY));
        Random random = new Random(SEED);
        long span = ChronoUnit.DAYS.between(DateRange.EARLIEST_DATE, TODAY);
        IntStream.range(0, 25).forEach(i -> dates.add(DateRange.EARLIEST_DATE.plusDays(random.nextLong(span + 1))));
        return dates.stream();
    }

    /** Every quarter hour from -12:00 to +14:00: 105 offsets, among them +05:45, +08:45 and +12:45. */
    static Stream<ZoneOffset> acceptedOffsets() {
        int step = DateRange.OFFSET_STEP_MINUTES * 60;
        return IntStream.rangeClosed(DateRange.EARLIEST_OFFSET.getTotalSeconds() / step,
                DateRange.LATEST_OFFSET.getTotalSeconds() / step).mapToObj(q -> ZoneOffset.ofTotalSeconds(q * step));
    }

    @ParameterizedTest(name = "born {0}")
    @MethodSource("acceptedDates")
    void aBirthOnAnyAcceptedDateReachesEveryAgency(LocalDate birthDate) throws Exception {
        Citizen citizen = FIXTURES.citizen(birthDate.getDayOfMonth() % 2 == 0 ? Sex.FEMALE : Sex.MALE, birthDate);
        // Registered the day it happened, at the first minute of the day at the easternmost offset.
        OffsetDateTime occurredAt = birthDate.atStartOfDay().atOffset(DateRange.LATEST_OFFSET);
        BirthRegistered birth = accepted(new BirthRegistered(UUID.randomUUID(), occurredAt, citizen));

        TaxpayerRegistration registration = (TaxpayerRegistration) TaxXml.unmarshal(
                TaxXml.marshal(TAX.translate(birth).get(0)));
        assertThat(TaxXml.localDate(registration.getTaxpayer().getBirthDate())).isEqualTo(birthDate);
        assertThat(XmlTimestamps.offsetDateTime(registration.getOccurredAt())).isEqualTo(occurredAt);

        Patient patient = HEALTH.toPatient(birth);
        assertThat(R4Validator.errors(patient)).extracting(R4Validator::describe).isEmpty();
        Patient parsed = HealthFhir.context().newJsonParser().parseResource(Patient.class,
                HealthFhir.context().newJsonParser().encodeResourceToString(patient));
        assertThat(parsed.getBirthDateElement().getValueAsString()).isEqualTo(birthDate.toString());

        assertThat(csvRoundTrip(birth).birthDate()).isEqualTo(birthDate);
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("acceptedDates")
    void aDeathMarriageAndDivorceOnAnyAcceptedDateReachEveryAgency(LocalDate date) throws Exception {
        Citizen citizen = FIXTURES.citizen(Sex.MALE, DateRange.EARLIEST_DATE);
        String spouse = FIXTURES.citizen(Sex.FEMALE, DateRange.EARLIEST_DATE).nik();
        Patient patient = HEALTH.toPatient(citizen);
        List<CitizenEvent> events = List.of(
                FIXTURES.marriage(citizen.nik(), spouse, date),
                FIXTURES.divorce(citizen.nik(), spouse, date),
                FIXTURES.death(citizen.nik(), date));

        for (CitizenEvent event : events) {
            CitizenEvent checked = accepted(event);
            TaxpayerChange change = (TaxpayerChange) TaxXml.unmarshal(TaxXml.marshal(TAX.translate(checked).get(0)));
            LocalDate carried = checked instanceof DeathRegistered
                    ? TaxXml.localDate(change.getDeceased().getDateOfDeath())
                    : TaxXml.localDate(change.getMaritalStatus().getEffectiveDate());
            assertThat(carried).as(event.eventType().wireName()).isEqualTo(date);
            HEALTH.apply(checked, patient);
            assertThat(R4Validator.errors(patient)).as(event.eventType().wireName())
                    .extracting(R4Validator::describe).isEmpty();
        }
        assertThat(patient.getDeceasedDateTimeType().getValueAsString()).isEqualTo(date.toString());
        assertThat(csvRoundTrip(events.get(2)).dateOfDeath()).isEqualTo(date);
    }

    @ParameterizedTest(name = "occurredAt at offset {0}")
    @MethodSource("acceptedOffsets")
    void anEventAtAnyAcceptedOffsetReachesEveryAgency(ZoneOffset offset) throws Exception {
        BirthRegistered sent = FIXTURES.birth();
        OffsetDateTime occurredAt = OffsetDateTime.ofInstant(NOW.minusSeconds(3600), offset);
        BirthRegistered birth = accepted(new BirthRegistered(UUID.randomUUID(), occurredAt, sent.citizen()));

        for (Object document : TAX.translate(birth, Map.of(birth.citizen().motherNik(), 1))) {
            Object read = TaxXml.unmarshal(TaxXml.marshal(document));
            OffsetDateTime carried = XmlTimestamps.offsetDateTime(read instanceof TaxpayerRegistration r
                    ? r.getOccurredAt() : ((TaxpayerChange) read).getOccurredAt());
            assertThat(carried).isEqualTo(occurredAt);
        }
        assertThat(R4Validator.errors(HEALTH.toPatient(birth))).extracting(R4Validator::describe).isEmpty();
        assertThat(csvRoundTrip(birth).occurredAt()).isEqualTo(occurredAt);
    }

    /** Just outside the edges: refused at the door, as the tax office's XML could not carry them. */
    @Test
    void justOutsideTheEdgesTheValidatorRefusesWhatTheTaxOfficeCouldNotCarry() {
        Citizen citizen = FIXTURES.citizen(Sex.MALE, LocalDate.of(1999, 12, 31));
        String before = CanonicalJson.write(FIXTURES.birth(citizen)).replace("\"1999-12-31\"", "\"1899-12-31\"");
        assertThat(refusal(before)).isEqualTo(ErrorCode.DATE_OUT_OF_RANGE);

        for (String offset : List.of("-12:15", "-12:45", "+14:15", "+14:45", "+14:59", "+05:20", "+07:07")) {
            BirthRegistered birth = FIXTURES.birth();
            String body = CanonicalJson.write(birth).replace(ISO.format(birth.occurredAt()),
                    ISO.format(OffsetDateTime.ofInstant(NOW, ZoneOffset.of(offset))));
            assertThat(refusal(body)).as(offset).isEqualTo(ErrorCode.DATE_OUT_OF_RANGE);
        }
        Citizen yearZero = FIXTURES.citizen(Sex.FEMALE, LocalDate.of(2000, 1, 1));
        assertThat(refusal(CanonicalJson.write(FIXTURES.birth(yearZero)).replace("\"2000-01-01\"", "\"0000-01-01\"")))
                .isEqualTo(ErrorCode.DATE_OUT_OF_RANGE);
    }

    /**
     * The longest texts the bus accepts: with emoji (100 UTF-16 units in a name, the count taxpayer.xsd's maxLength
     * is checked in by the JDK's validator) and with letters (100 characters). Result: accepted, and carried whole
     * by the tax XML, FHIR and the CSV.
     */
    @Test
    void theLongestAcceptedTextsReachEveryAgencyWhole() throws Exception {
        HostileEvents corpus = new HostileEvents(FIXTURES);
        for (BirthRegistered longest : List.of(corpus.longestTexts(), corpus.longestLetters())) {
            BirthRegistered birth = accepted(longest);

            TaxpayerRegistration registration = (TaxpayerRegistration) TaxXml.unmarshal(
                    TaxXml.marshal(TAX.translate(birth).get(0)));
            assertThat(registration.getTaxpayer().getFullName()).isEqualTo(birth.citizen().fullName());
            assertThat(registration.getTaxpayer().getAddress().getStreet())
                    .isEqualTo(birth.citizen().address().street());
            Patient patient = HEALTH.toPatient(birth);
            assertThat(R4Validator.errors(patient)).extracting(R4Validator::describe).isEmpty();
            assertThat(PatientReader.citizen(patient).fullName()).isEqualTo(birth.citizen().fullName());
            LicenceUpdate row = csvRoundTrip(birth);
            assertThat(row.fullName()).isEqualTo(birth.citizen().fullName());
            assertThat(row.address()).isEqualTo(birth.citizen().address());
        }
    }

    /**
     * One emoji more than fits in UTF-16 units: the bus refuses it ({@code TEXT_TOO_LONG}), as the tax office's
     * XML validator would, although it has only 51 characters.
     */
    @Test
    void aNameTheTaxXmlCannotCarryIsRefusedAtTheDoor() {
        BirthRegistered birth = FIXTURES.birth();
        String body = CanonicalJson.write(birth).replace(birth.citizen().fullName(), "A" + "\uD83D\uDE00".repeat(50));

        assertThat(refusal(body)).isEqualTo(ErrorCode.TEXT_TOO_LONG);
    }

    @SuppressWarnings("unchecked")
    private static <T extends CitizenEvent> T accepted(T event) {
        CitizenEvent checked = VALIDATOR.validate(CanonicalJson.readBody(CanonicalJson.write(event)
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(checked).isEqualTo(event);
        return (T) checked;
    }

    private static ErrorCode refusal(String body) {
        JembatanException refused = catchThrowableOfType(
                () -> VALIDATOR.validate(CanonicalJson.readBody(body.getBytes(StandardCharsets.UTF_8))),
                JembatanException.class);
        assertThat(refused).as(body).isNotNull();
        return refused.code();
    }

    private static LicenceUpdate csvRoundTrip(CitizenEvent event) throws Exception {
        LicenceUpdate row = LICENSING.translate(event).orElseThrow();
        StringWriter out = new StringWriter();
        LicensingCsv.write(List.of(row), out);
        List<LicenceUpdate> read = LicensingCsv.read(new StringReader(out.toString()));
        assertThat(read).containsExactly(row);
        return read.get(0);
    }
}
