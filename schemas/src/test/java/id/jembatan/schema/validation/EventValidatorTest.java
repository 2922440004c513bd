package id.jembatan.schema.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.schema.model.EventType;
import id.jembatan.schema.model.Sex;
import id.jembatan.schema.rules.RegionCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

class EventValidatorTest {

    /** 10:00 in Jakarta on 1 December 2026; the UTC date is the same. */
    private static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");
    private static final LocalDate TODAY = LocalDate.of(2026, 12, 1);
    private static final ZoneOffset WIB = ZoneOffset.ofHours(7);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final EventValidator VALIDATOR = new EventValidator(RegionCodes.official(), CLOCK);

    private final CitizenFixtures fixtures = new CitizenFixtures(CLOCK);

    /** The BirthRegistered sample of DESIGN.md section 8, as an agency sends it. */
    private static final String DESIGN_SAMPLE = """
            {"eventId": "0f8fad5b-d9cb-469f-a165-70867728950e", "type": "BirthRegistered",
             "occurredAt": "2026-11-20T08:15:00+07:00",
             "citizen": {"nik": "3171014508990001", "familyCardNumber": "3171010101090001",
               "fullName": "Siti Rahmawati", "birthPlace": "Jakarta", "birthDate": "1999-08-05", "sex": "FEMALE",
               "religion": "ISLAM", "maritalStatus": "SINGLE", "occupation": "PELAJAR", "nationality": "WNI",
               "motherNik": "3171014203750002", "fatherNik": "3171011506720003",
               "address": {"street": "Jl. Merdeka No. 1", "rt": "001", "rw": "002", "villageCode": "3171011001",
                 "village": "Gambir", "districtCode": "317101", "district": "Gambir", "regencyCode": "3171",
                 "regency": "Kota Administrasi Jakarta Pusat", "provinceCode": "31", "province": "DKI Jakarta",
                 "postalCode": "10110"}}}
            """;

    private static ObjectNode tree(String json) {
        return (ObjectNode) CanonicalJson.readBody(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode tree(CitizenEvent event) {
        return tree(CitizenFixtures.json(event));
    }

    private static ObjectNode object(JsonNode body, String pointer) {
        return (ObjectNode) body.at(pointer);
    }

    private static List<FieldError> rejected(JsonNode body) {
        JembatanException e = catchThrowableOfType(() -> VALIDATOR.validate(body), JembatanException.class);
        assertThat(e).as("rejected").isNotNull();
        assertThat(e.code()).isEqualTo(e.errors().get(0).code());
        return e.errors();
    }

    private static void assertRejectedWith(JsonNode body, ErrorCode code, String pointer) {
        assertThat(rejected(body)).extracting(FieldError::code, FieldError::pointer)
                .containsExactly(tuple(code, pointer));
    }

    private BirthRegistered birth(Function<Citizen, Citizen> change) {
        return fixtures.birth(change.apply(fixtures.citizen()));
    }

    private static Citizen withNik(Citizen c, String nik) {
        return new Citizen(nik, c.familyCardNumber(), c.fullName(), c.birthPlace(), c.birthDate(), c.sex(),
                c.religion(), c.maritalStatus(), c.occupation(), c.nationality(), c.motherNik(), c.fatherNik(),
                c.address());
    }

    // --- what passes ---

    @Test
    void theDesignSampleBirthOfSitiRahmawatiPasses() {
        CitizenEvent event = VALIDATOR.validate(tree(DESIGN_SAMPLE));

        assertThat(event).isInstanceOfSatisfying(BirthRegistered.class, birth -> {
            assertThat(birth.citizen().nik()).isEqualTo("3171014508990001");
            assertThat(birth.citizen().sex()).isEqualTo(Sex.FEMALE);
            assertThat(birth.citizen().birthDate()).isEqualTo(LocalDate.of(1999, 8, 5));
            assertThat(birth.occurredAt().getOffset()).isEqualTo(WIB);
        });
    }

    @Test
    void aValidEventOfEachTypePassesAndBindsToItself() {
        Citizen c = fixtures.citizen();
        Citizen spouse = fixtures.citizen();
        List<CitizenEvent> events = List.of(
                fixtures.birth(c),
                fixtures.death(c.nik(), TODAY),
                fixtures.addressChange(c.nik(), fixtures.otherAddress(c.address())),
                fixtures.nameChange(c.nik(), "Nama Baru " + c.fullName()),
                fixtures.marriage(c.nik(), spouse.nik(), TODAY.minusDays(3)),
                fixtures.divorce(c.nik(), spouse.nik(), TODAY));

        for (CitizenEvent event : events) {
            assertThat(VALIDATOR.validate(tree(event))).as(event.eventType().wireName()).isEqualTo(event);
        }
    }

    @Test
    void optionalFieldsMayBeAbsentOrNull() {
        DeathRegistered death = new DeathRegistered(UUID.randomUUID(), OffsetDateTime.ofInstant(NOW, WIB),
                fixtures.citizen().nik(), TODAY, null);
        ObjectNode withoutPlace = tree(death);
        ObjectNode withNull = withoutPlace.deepCopy();
        withNull.putNull("placeOfDeath");
        ObjectNode birth = tree(fixtures.birth());
        for (String optional : List.of("occupation", "motherNik", "fatherNik")) {
            object(birth, "/citizen").remove(optional);
        }
        object(birth, "/citizen/address").putNull("village");

        assertThat(withoutPlace.has("placeOfDeath")).as("absent fields are not written").isFalse();
        assertThat(VALIDATOR.validate(withNull)).isEqualTo(death);
        assertThat(VALIDATOR.validate(withoutPlace)).isEqualTo(death);
        assertThat(VALIDATOR.validate(birth)).isInstanceOf(BirthRegistered.class);
    }

    @Test
    void aNikWithARetiredDistrictIsAcceptedWithAWarning() {
        // Merauke was district 910101 of Papua until the 2022 split; the NIK keeps it for life.
        ObjectNode death = tree(fixtures.death("9101011508790001", TODAY));

        assertThat(VALIDATOR.validate(death)).isInstanceOf(DeathRegistered.class);
    }

    @Test
    void occurredAtMayBeUpToFiveMinutesAhead() {
        ObjectNode body = tree(fixtures.birth());
        body.put("occurredAt", "2026-12-01T10:05:00+07:00");

        assertThat(VALIDATOR.validate(body)).isInstanceOf(BirthRegistered.class);
    }

    @Test
    void todayIsTakenInJakarta() {
        // 23:30 UTC on 1 December is already 06:30 on 2 December in Jakarta.
        Clock lateEvening = Clock.fixed(Instant.parse("2026-12-01T23:30:00Z"), ZoneOffset.UTC);
        EventValidator validator = new EventValidator(RegionCodes.official(), lateEvening);
        CitizenFixtures atThatTime = new CitizenFixtures(lateEvening);
        String nik = atThatTime.citizen().nik();

        assertThat(validator.validate(tree(atThatTime.death(nik, LocalDate.of(2026, 12, 2)))))
                .isInstanceOf(DeathRegistered.class);
        JembatanException e = catchThrowableOfType(
                () -> validator.validate(tree(atThatTime.death(nik, LocalDate.of(2026, 12, 3)))),
                JembatanException.class);
        assertThat(e.errors()).extracting(FieldError::code, FieldError::pointer)
                .containsExactly(tuple(ErrorCode.DATE_IN_FUTURE, "/dateOfDeath"));
    }

    @Test
    void theValidatorIsSharedSafelyBetweenThreads() {
        List<ObjectNode> bodies = IntStream.range(0, 400).mapToObj(i -> tree(fixtures.birth())).toList();

        long valid = bodies.parallelStream().map(VALIDATOR::validate).filter(BirthRegistered.class::isInstance)
                .count();

        assertThat(valid).isEqualTo(bodies.size());
    }

    // --- the type ---

    @ParameterizedTest
    @ValueSource(strings = {"\"Adopted\"", "\"birthRegistered\"", "\"\"", "5", "null", "{}", "[\"BirthRegistered\"]"})
    void anUnknownTypeIsEventTypeUnknown(String type) {
        ObjectNode body = tree(DESIGN_SAMPLE);
        body.set("type", tree("{\"t\": " + type + "}").get("t"));

        List<FieldError> errors = rejected(body);

        assertThat(errors).extracting(FieldError::code, FieldError::pointer)
                .containsExactly(tuple(ErrorCode.EVENT_TYPE_UNKNOWN, "/type"));
        assertThat(errors.get(0).message()).contains("BirthRegistered").contains("DivorceRegistered");
    }

    @Test
    void aMissingTypeIsEventTypeUnknown() {
        ObjectNode body = tree(DESIGN_SAMPLE);
        body.remove("type");

        assertRejectedWith(body, ErrorCode.EVENT_TYPE_UNKNOWN, "/type");
    }

    @Test
    void aBodyThatIsNotAnObjectIsMalformed() {
        JsonNode array = CanonicalJson.mapper().createArrayNode();

        assertRejectedWith(array, ErrorCode.MALFORMED_JSON, "");
    }

    // --- the schema ---

    @Test
    void anAdditionalPropertyIsRejectedAtItsPointer() {
        ObjectNode body = tree(DESIGN_SAMPLE);
        body.put("comment", "x");
        object(body, "/citizen/address").put("kodePos", "10110");
        object(body, "/citizen").put("a/b", 1);

        List<FieldError> errors = rejected(body);

        assertThat(errors).extracting(FieldError::code).containsOnly(ErrorCode.SCHEMA_VIOLATION);
        assertThat(errors).extracting(FieldError::pointer)
                .containsExactlyInAnyOrder("/comment", "/citizen/address/kodePos", "/citizen/a~1b");
        assertThat(errors).extracting(FieldError::message).anySatisfy(m -> assertThat(m).startsWith("kodePos"));
    }

    @Test
    void aMissingFieldIsReportedAtItsPointer() {
        ObjectNode body = tree(DESIGN_SAMPLE);
        object(body, "/citizen").remove("birthDate");
        object(body, "/citizen/address").remove("postalCode");

        assertThat(rejected(body)).extracting(FieldError::code, FieldError::pointer, FieldError::message)
                .containsExactlyInAnyOrder(
                        tuple(ErrorCode.SCHEMA_VIOLATION, "/citizen/birthDate", "birthDate is required"),
                        tuple(ErrorCode.SCHEMA_VIOLATION, "/citizen/address/postalCode", "postalCode is required"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"05-08-1999", "1999-8-5", "1999-02-29", "1999-02-30", "1999-13-01", "19990805",
        "1999-08-05T00:00:00+07:00"})
    void aBadDateIsRejected(String date) {
        ObjectNode body = tree(DESIGN_SAMPLE);
        object(body, "/citizen").put("birthDate", date);

        List<FieldError> errors = rejected(body);

        assertThat(errors).extracting(FieldError::code, FieldError::pointer)
                .containsExactly(tuple(ErrorCode.SCHEMA_VIOLATION, "/citizen/birthDate"));
        assertThat(errors.get(0).message()).contains("YYYY-MM-DD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-20T08:15:00", "2026-11-20 08:15:00+07:00", "2026-11-20t08:15:00Z",
        "2026-11-20T08:15+07:00", "2026-11-20T23:59:60Z", "2026-11-20T08:15:00+19:00", "2026-11-20"})
    void occurredAtNeedsAFullDateTimeWithOffset(String occurredAt) {
        ObjectNode body = tree(DESIGN_SAMPLE);
        body.put("occurredAt", occurredAt);

        assertThat(rejected(body)).extracting(FieldError::code, FieldError::pointer)
                .isNotEmpty().containsOnly(tuple(ErrorCode.SCHEMA_VIOLATION, "/occurredAt"));
    }

    @Test
    void eachSchemaRuleNamesTheField() {
        ObjectNode body = tree(DESIGN_SAMPLE);
        body.put("eventId", "not-a-uuid");
        object(body, "/citizen").put("sex", "F");
        object(body, "/citizen").put("fullName", "12345");
        object(body, "/citizen").put("birthPlace", "");
        object(body, "/citizen").put("familyCardNumber", 3171010101090001L);
        object(body, "/citizen/address").put("rt", "1");
        object(body, "/citizen/address").put("street", "Jl. Merdeka\nNo. 1");

        assertThat(rejected(body)).extracting(FieldError::pointer, FieldError::message).containsExactlyInAnyOrder(
                tuple("/eventId", "eventId must be a UUID, e.g. 0f8fad5b-d9cb-469f-a165-70867728950e"),
                tuple("/citizen/sex", "sex must be one of MALE, FEMALE"),
                tuple("/citizen/fullName", "fullName must contain at least one letter"),
                tuple("/citizen/birthPlace", "birthPlace must have at least 1 characters"),
                tuple("/citizen/familyCardNumber", "familyCardNumber must be of type string, not integer"),
                tuple("/citizen/address/rt", "rt must be exactly 3 digits 0-9"),
                tuple("/citizen/address/street",
                        "street must not contain control characters (line breaks, tabs and the like)"));
    }

    @Test
    void aTooLongNikIsASchemaViolationButAWrongLengthIsTheRulesBusiness() {
        ObjectNode longNik = tree(DESIGN_SAMPLE);
        object(longNik, "/citizen").put("nik", "3".repeat(33));
        ObjectNode shortNik = tree(DESIGN_SAMPLE);
        object(shortNik, "/citizen").put("nik", "317101450899001");

        assertRejectedWith(longNik, ErrorCode.SCHEMA_VIOLATION, "/citizen/nik");
        assertRejectedWith(shortNik, ErrorCode.NIK_INVALID_LENGTH, "/citizen/nik");
    }

    // --- the NIK and family card rules ---

    @Test
    void eachNikFieldIsChecked() {
        ObjectNode birth = tree(fixtures.birth());
        object(birth, "/citizen").put("nik", "317101450899001");
        object(birth, "/citizen").put("motherNik", "3171017302750002");
        object(birth, "/citizen").put("fatherNik", "3171011506720000");
        ObjectNode death = tree(fixtures.death("31710115067200A3", TODAY));
        ObjectNode marriage = tree(fixtures.marriage(fixtures.citizen().nik(), "0571011506720003", TODAY));

        assertThat(rejected(birth)).extracting(FieldError::code, FieldError::pointer).containsExactly(
                tuple(ErrorCode.NIK_INVALID_LENGTH, "/citizen/nik"),
                tuple(ErrorCode.NIK_INVALID_DATE, "/citizen/motherNik"),
                tuple(ErrorCode.NIK_INVALID_SERIAL, "/citizen/fatherNik"));
        assertRejectedWith(death, ErrorCode.NIK_INVALID_CHARACTERS, "/nik");
        assertRejectedWith(marriage, ErrorCode.NIK_INVALID_REGION, "/spouseNik");
    }

    @Test
    void unicodeDigitsAreNotDigits() {
        ObjectNode body = tree(fixtures.nameChange("317101150872000\u0663", "Budi Santoso"));

        assertRejectedWith(body, ErrorCode.NIK_INVALID_CHARACTERS, "/nik");
    }

    @Test
    void theNikMustMatchSex() {
        BirthRegistered birth = birth(c -> new Citizen(c.nik(), c.familyCardNumber(), c.fullName(), c.birthPlace(),
                c.birthDate(), c.sex() == Sex.MALE ? Sex.FEMALE : Sex.MALE, c.religion(), c.maritalStatus(),
                c.occupation(), c.nationality(), c.motherNik(), c.fatherNik(), c.address()));

        assertRejectedWith(tree(birth), ErrorCode.NIK_SEX_MISMATCH, "/citizen/nik");
    }

    @Test
    void theNikMustMatchTheBirthDate() {
        BirthRegistered birth = birth(c -> new Citizen(c.nik(), c.familyCardNumber(), c.fullName(), c.birthPlace(),
                c.birthDate().plusDays(1), c.sex(), c.religion(), c.maritalStatus(), c.occupation(),
                c.nationality(), c.motherNik(), c.fatherNik(), c.address()));

        assertRejectedWith(tree(birth), ErrorCode.NIK_BIRTH_DATE_MISMATCH, "/citizen/nik");
    }

    @Test
    void theFamilyCardNumberIsChecked() {
        Map<String, ErrorCode> cases = Map.of(
                "317101010109001", ErrorCode.KK_INVALID_LENGTH,
                "31710101010900x1", ErrorCode.KK_INVALID_CHARACTERS,
                "3171000101090001", ErrorCode.KK_INVALID_REGION,
                "3171014101090001", ErrorCode.KK_INVALID_DATE,
                "3171010101090000", ErrorCode.KK_INVALID_SERIAL);

        cases.forEach((number, code) -> {
            ObjectNode body = tree(fixtures.birth());
            object(body, "/citizen").put("familyCardNumber", number);
            assertRejectedWith(body, code, "/citizen/familyCardNumber");
        });
    }

    // --- the other domain rules ---

    @Test
    void aParentCannotBeTheCitizen() {
        BirthRegistered motherSelf = birth(c -> new Citizen(c.nik(), c.familyCardNumber(), c.fullName(),
                c.birthPlace(), c.birthDate(), c.sex(), c.religion(), c.maritalStatus(), c.occupation(),
                c.nationality(), c.nik(), c.fatherNik(), c.address()));
        BirthRegistered fatherSelf = birth(c -> new Citizen(c.nik(), c.familyCardNumber(), c.fullName(),
                c.birthPlace(), c.birthDate(), c.sex(), c.religion(), c.maritalStatus(), c.occupation(),
                c.nationality(), c.motherNik(), c.nik(), c.address()));

        assertRejectedWith(tree(motherSelf), ErrorCode.PARENT_IS_SELF, "/citizen/motherNik");
        assertRejectedWith(tree(fatherSelf), ErrorCode.PARENT_IS_SELF, "/citizen/fatherNik");
    }

    @Test
    void aSpouseCannotBeTheCitizen() {
        String nik = fixtures.citizen().nik();

        assertRejectedWith(tree(fixtures.marriage(nik, nik, TODAY)), ErrorCode.SPOUSE_IS_SELF, "/spouseNik");
        assertRejectedWith(tree(fixtures.divorce(nik, nik, TODAY)), ErrorCode.SPOUSE_IS_SELF, "/spouseNik");
    }

    @Test
    void addressCodesMustExistAndNest() {
        Citizen c = fixtures.citizen();
        ObjectNode birth = tree(fixtures.birth(c));
        object(birth, "/citizen/address").put("villageCode", "3171011999");
        ObjectNode move = tree(fixtures.addressChange(c.nik(), fixtures.otherAddress(c.address())));
        object(move, "/address").put("provinceCode", "31").put("regencyCode", "3171").put("districtCode", "317101")
                .put("villageCode", "3273191001");

        assertRejectedWith(birth, ErrorCode.ADDRESS_UNKNOWN_REGION_CODE, "/citizen/address/villageCode");
        assertRejectedWith(move, ErrorCode.ADDRESS_REGION_MISMATCH, "/address/villageCode");
    }

    @Test
    void datesAfterTodayInJakartaAreInTheFuture() {
        Citizen c = fixtures.citizen();
        String spouse = fixtures.citizen().nik();
        LocalDate tomorrow = TODAY.plusDays(1);
        ObjectNode birth = tree(fixtures.birth(c));
        object(birth, "/citizen").put("birthDate", tomorrow.toString());
        ObjectNode late = tree(fixtures.nameChange(c.nik(), "Budi Santoso"));
        late.put("occurredAt", "2026-12-01T10:05:01+07:00");

        assertThat(rejected(birth)).extracting(FieldError::code, FieldError::pointer)
                .contains(tuple(ErrorCode.DATE_IN_FUTURE, "/citizen/birthDate"));
        assertRejectedWith(tree(fixtures.death(c.nik(), tomorrow)), ErrorCode.DATE_IN_FUTURE, "/dateOfDeath");
        assertRejectedWith(tree(fixtures.marriage(c.nik(), spouse, tomorrow)), ErrorCode.DATE_IN_FUTURE,
                "/dateOfMarriage");
        assertRejectedWith(tree(fixtures.divorce(c.nik(), spouse, tomorrow)), ErrorCode.DATE_IN_FUTURE,
                "/dateOfDivorce");
        assertRejectedWith(late, ErrorCode.DATE_IN_FUTURE, "/occurredAt");
    }

    // --- reporting ---

    @Test
    void everyDomainErrorIsReported() {
        Citizen c = fixtures.citizen(Sex.FEMALE, LocalDate.of(1990, 3, 14));
        ObjectNode body = tree(fixtures.birth(c));
        object(body, "/citizen").put("sex", "MALE");
        object(body, "/citizen").put("fatherNik", c.nik());
        object(body, "/citizen").put("familyCardNumber", "3171013202090001");
        object(body, "/citizen/address").put("villageCode", "3171011999");
        body.put("occurredAt", "2027-01-01T00:00:00+07:00");

        JembatanException e = catchThrowableOfType(() -> VALIDATOR.validate(body), JembatanException.class);

        assertThat(e.errors()).extracting(FieldError::code, FieldError::pointer).containsExactlyInAnyOrder(
                tuple(ErrorCode.KK_INVALID_DATE, "/citizen/familyCardNumber"),
                tuple(ErrorCode.DATE_IN_FUTURE, "/occurredAt"),
                tuple(ErrorCode.NIK_SEX_MISMATCH, "/citizen/nik"),
                tuple(ErrorCode.PARENT_IS_SELF, "/citizen/fatherNik"),
                tuple(ErrorCode.ADDRESS_UNKNOWN_REGION_CODE, "/citizen/address/villageCode"));
        assertThat(e.code()).isEqualTo(e.errors().get(0).code());
        assertThat(e.getMessage()).contains("(and 4 more)");
    }

    @Test
    void schemaAndNikErrorsAreReportedTogether() {
        ObjectNode body = tree(DESIGN_SAMPLE);
        object(body, "/citizen").put("nik", "317101450899001");
        object(body, "/citizen/address").put("rw", "02");

        List<FieldError> errors = rejected(body);

        assertThat(errors).extracting(FieldError::code, FieldError::pointer).containsExactly(
                tuple(ErrorCode.SCHEMA_VIOLATION, "/citizen/address/rw"),
                tuple(ErrorCode.NIK_INVALID_LENGTH, "/citizen/nik"));
    }

    // --- what every agency can carry ---

    @ParameterizedTest
    @ValueSource(strings = {"-12:00", "-09:30", "Z", "+05:45", "+07:00", "+08:45", "+12:45", "+14:00"})
    void realOffsetsInQuarterHoursPass(String offset) {
        ObjectNode body = tree(fixtures.birth());
        body.put("occurredAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                OffsetDateTime.ofInstant(NOW, ZoneOffset.of(offset))));

        assertThat(VALIDATOR.validate(body)).isInstanceOf(BirthRegistered.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-14:00", "-12:15", "+05:20", "+07:07", "+14:15", "+14:59"})
    void offsetsNoTimeZoneUsesAreOutOfRange(String offset) {
        ObjectNode body = tree(fixtures.birth());
        body.put("occurredAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                OffsetDateTime.ofInstant(NOW, ZoneOffset.of(offset))));

        assertRejectedWith(body, ErrorCode.DATE_OUT_OF_RANGE, "/occurredAt");
    }

    @Test
    void datesFrom1900OnPassAndEarlierOnesAreOutOfRange() {
        Citizen first = fixtures.citizen(Sex.MALE, LocalDate.of(1900, 1, 1));
        Citizen earlier = fixtures.citizen(Sex.MALE, LocalDate.of(1999, 12, 31));
        ObjectNode before = tree(fixtures.birth(earlier));
        object(before, "/citizen").put("birthDate", "1899-12-31");
        String nik = first.nik();
        LocalDate tooEarly = LocalDate.of(1899, 12, 31);

        assertThat(VALIDATOR.validate(tree(fixtures.birth(first)))).isInstanceOf(BirthRegistered.class);
        assertRejectedWith(before, ErrorCode.DATE_OUT_OF_RANGE, "/citizen/birthDate");
        assertRejectedWith(tree(fixtures.death(nik, tooEarly)), ErrorCode.DATE_OUT_OF_RANGE, "/dateOfDeath");
        assertRejectedWith(tree(fixtures.marriage(nik, earlier.nik(), tooEarly)), ErrorCode.DATE_OUT_OF_RANGE,
                "/dateOfMarriage");
        assertRejectedWith(tree(fixtures.divorce(nik, earlier.nik(), tooEarly)), ErrorCode.DATE_OUT_OF_RANGE,
                "/dateOfDivorce");
    }

    @Test
    void aMothersNikMustEncodeAWomanAndAFathersAMan() {
        String man = fixtures.citizen(Sex.MALE, LocalDate.of(1971, 4, 9)).nik();
        String woman = fixtures.citizen(Sex.FEMALE, LocalDate.of(1973, 10, 21)).nik();
        BirthRegistered swapped = birth(c -> new Citizen(c.nik(), c.familyCardNumber(), c.fullName(),
                c.birthPlace(), c.birthDate(), c.sex(), c.religion(), c.maritalStatus(), c.occupation(),
                c.nationality(), man, woman, c.address()));

        assertThat(rejected(tree(swapped))).extracting(FieldError::code, FieldError::pointer).containsExactly(
                tuple(ErrorCode.PARENT_SEX_MISMATCH, "/citizen/motherNik"),
                tuple(ErrorCode.PARENT_SEX_MISMATCH, "/citizen/fatherNik"));
    }

    @Test
    void aForbiddenCharacterIsNamedByCodePointNotQuoted() {
        ObjectNode body = tree(fixtures.nameChange(fixtures.citizen().nik(), "Budi \u202Eotnas"));

        List<FieldError> errors = rejected(body);

        assertThat(errors).extracting(FieldError::code, FieldError::pointer)
                .containsExactly(tuple(ErrorCode.FORBIDDEN_CHARACTER, "/fullName"));
        assertThat(errors.get(0).message()).contains("U+202E RIGHT-TO-LEFT OVERRIDE (format)")
                .contains("character 6").doesNotContain("otnas");
    }

    @Test
    void schemaIdsPointAtJembatan() {
        assertThat(EventValidator.schemaId(EventType.MARRIAGE_REGISTERED))
                .isEqualTo("https://jembatan.id/schemas/v1/events/marriage-registered.schema.json");
    }
}
