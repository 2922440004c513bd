package id.jembatan.connector.tax;

import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Address;
import id.jembatan.schema.model.AddressChanged;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.schema.model.DivorceRegistered;
import id.jembatan.schema.model.MarriageRegistered;
import id.jembatan.schema.model.NameChanged;
import id.jembatan.schema.model.Sex;
import id.jembatan.schema.tax.v1.MaritalStatus;
import id.jembatan.schema.tax.v1.Taxpayer;
import id.jembatan.schema.tax.v1.TaxpayerChange;
import id.jembatan.schema.tax.v1.TaxpayerRegistration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/** Canonical events to tax documents: field by field, with withheld fields, and the parents' dependants. */
class TaxTranslatorTest {

    private static final CitizenFixtures FIXTURES = new CitizenFixtures();

    private final TaxTranslator translator = new TaxTranslator();

    @Test
    void birthBecomesARegistrationWithTheWholeIdentity() {
        BirthRegistered birth = FIXTURES.birth();
        Citizen citizen = birth.citizen();

        List<Object> documents = translator.translate(birth);

        assertThat(documents).singleElement().isInstanceOf(TaxpayerRegistration.class);
        TaxpayerRegistration registration = (TaxpayerRegistration) documents.get(0);
        assertThat(registration.getMessageId()).isEqualTo(birth.eventId().toString());
        assertThat(XmlTimestamps.offsetDateTime(registration.getOccurredAt())).isEqualTo(birth.occurredAt());
        Taxpayer taxpayer = registration.getTaxpayer();
        assertThat(taxpayer.getNik()).isEqualTo(citizen.nik());
        assertThat(taxpayer.getFamilyCardNumber()).isEqualTo(citizen.familyCardNumber());
        assertThat(taxpayer.getFullName()).isEqualTo(citizen.fullName());
        assertThat(taxpayer.getBirthPlace()).isEqualTo(citizen.birthPlace());
        assertThat(TaxXml.localDate(taxpayer.getBirthDate())).isEqualTo(citizen.birthDate());
        assertThat(taxpayer.getSex().value()).isEqualTo(citizen.sex().name());
        assertThat(taxpayer.getMaritalStatus().value()).isEqualTo(citizen.maritalStatus().name());
        assertThat(taxpayer.getOccupation()).isEqualTo(citizen.occupation());
        assertThat(taxpayer.getNationality().value()).isEqualTo(citizen.nationality().name());
        assertThat(taxpayer.getNumberOfDependants()).isNull();
        assertAddress(taxpayer.getAddress(), citizen.address());
    }

    @Test
    void birthCarriesTheNewCitizensOwnCountAndTellsEachParentTheirs() {
        BirthRegistered birth = FIXTURES.birth(FIXTURES.citizen(Sex.MALE, CitizenFixtures.today().minusMonths(2)));
        Citizen child = birth.citizen();
        Map<String, Integer> dependants = new LinkedHashMap<>();
        dependants.put(child.nik(), 0);
        dependants.put(child.motherNik(), 2);
        dependants.put(child.fatherNik(), 3);

        List<Object> documents = translator.translate(birth, dependants);

        assertThat(documents).hasSize(3);
        assertThat(documents.get(0)).asInstanceOf(type(TaxpayerRegistration.class))
                .satisfies(r -> assertThat(r.getTaxpayer().getNumberOfDependants()).isZero());
        assertDependants(documents.get(1), birth, child.motherNik(), 2);
        assertDependants(documents.get(2), birth, child.fatherNik(), 3);
    }

    @Test
    void dependantsMessageIdsRepeatOnRedeliveryAndDifferPerParentAndEvent() {
        Citizen child = FIXTURES.citizen(Sex.FEMALE, CitizenFixtures.today().minusDays(10));
        BirthRegistered birth = FIXTURES.birth(child);
        BirthRegistered otherBirth = FIXTURES.birth(child);
        Map<String, Integer> dependants = Map.of(child.motherNik(), 1, child.fatherNik(), 1);

        List<Object> documents = translator.translate(birth, dependants);
        List<String> first = messageIds(documents);
        List<String> again = messageIds(translator.translate(birth, dependants));
        List<String> other = messageIds(translator.translate(otherBirth, dependants));

        assertThat(again).isEqualTo(first);
        assertThat(first).hasSize(3).doesNotHaveDuplicates().doesNotContainAnyElementsOf(other);
        assertThat(documents.subList(1, 3)).allSatisfy(document -> assertThat(TaxXml.messageId(document))
                .isEqualTo(expectedDependantsId(birth, TaxXml.nik(document))));
        assertThat(TaxTranslator.dependantsMessageId(birth.eventId(), child.motherNik()))
                .isEqualTo(expectedDependantsId(birth, child.motherNik()));
    }

    @Test
    void birthWithEveryOptionalFieldWithheldKeepsOnlyTheNik() {
        Citizen full = FIXTURES.citizen();
        Citizen minimal = new Citizen(full.nik(), null, null, null, null, null, null, null, null, null, null, null,
                null);
        BirthRegistered birth = FIXTURES.birth(minimal);

        TaxpayerRegistration registration = (TaxpayerRegistration) translator.translate(birth).get(0);

        Taxpayer taxpayer = registration.getTaxpayer();
        assertThat(taxpayer.getNik()).isEqualTo(full.nik());
        assertThat(taxpayer).hasAllNullFieldsOrPropertiesExcept("nik");
        assertThat(TaxXml.marshal(registration)).isNotEmpty();
    }

    @Test
    void addressPartsTheAccessPolicyWithheldAreLeftOut() {
        Address full = FIXTURES.address();
        Address codesOnly = new Address(null, null, null, full.villageCode(), null, full.districtCode(), null,
                full.regencyCode(), null, full.provinceCode(), null, null);
        AddressChanged moved = FIXTURES.addressChange(FIXTURES.citizen().nik(), codesOnly);

        TaxpayerChange change = (TaxpayerChange) translator.translate(moved).get(0);

        assertAddress(change.getAddress(), codesOnly);
        assertThat(new String(TaxXml.marshal(change), StandardCharsets.UTF_8))
                .contains("<VillageCode>" + full.villageCode() + "</VillageCode>")
                .doesNotContain("<Street>", "<Rt>", "<PostalCode>");
    }

    @Test
    void addressChangeBecomesAChangeWithTheWholeNewAddress() {
        Citizen citizen = FIXTURES.citizen();
        AddressChanged moved = FIXTURES.addressChange(citizen.nik(), FIXTURES.otherAddress(citizen.address()));

        TaxpayerChange change = onlyChange(moved);

        assertChangeHeader(change, moved);
        assertAddress(change.getAddress(), moved.address());
        assertThat(change).extracting("fullName", "maritalStatus", "deceased", "numberOfDependants")
                .containsOnlyNulls();
    }

    @Test
    void nameChangeBecomesAChangeWithTheFullName() {
        NameChanged renamed = FIXTURES.nameChange(FIXTURES.citizen().nik(), "Dewi Kartika Sari");

        TaxpayerChange change = onlyChange(renamed);

        assertChangeHeader(change, renamed);
        assertThat(change.getFullName()).isEqualTo("Dewi Kartika Sari");
        assertThat(change).extracting("address", "maritalStatus", "deceased", "numberOfDependants")
                .containsOnlyNulls();
    }

    @Test
    void marriageBecomesMarriedWithSpouseAndDate() {
        LocalDate date = CitizenFixtures.today().minusDays(3);
        MarriageRegistered marriage = FIXTURES.marriage(FIXTURES.citizen().nik(), FIXTURES.citizen().nik(), date);

        TaxpayerChange change = onlyChange(marriage);

        assertChangeHeader(change, marriage);
        assertThat(change.getMaritalStatus().getStatus()).isEqualTo(MaritalStatus.MARRIED);
        assertThat(change.getMaritalStatus().getSpouseNik()).isEqualTo(marriage.spouseNik());
        assertThat(TaxXml.localDate(change.getMaritalStatus().getEffectiveDate())).isEqualTo(date);
    }

    @Test
    void marriageWithTheSpouseWithheldStillTellsTheStatus() {
        MarriageRegistered marriage = FIXTURES.marriage(FIXTURES.citizen().nik(), null, CitizenFixtures.today());

        TaxpayerChange change = onlyChange(marriage);

        assertThat(change.getMaritalStatus().getStatus()).isEqualTo(MaritalStatus.MARRIED);
        assertThat(change.getMaritalStatus().getSpouseNik()).isNull();
        assertThat(TaxXml.marshal(change)).isNotEmpty();
    }

    @Test
    void divorceBecomesDivorcedWithFormerSpouseAndDate() {
        LocalDate date = CitizenFixtures.today().minusDays(30);
        DivorceRegistered divorce = FIXTURES.divorce(FIXTURES.citizen().nik(), FIXTURES.citizen().nik(), date);

        TaxpayerChange change = onlyChange(divorce);

        assertChangeHeader(change, divorce);
        assertThat(change.getMaritalStatus().getStatus()).isEqualTo(MaritalStatus.DIVORCED);
        assertThat(change.getMaritalStatus().getSpouseNik()).isEqualTo(divorce.spouseNik());
        assertThat(TaxXml.localDate(change.getMaritalStatus().getEffectiveDate())).isEqualTo(date);
    }

    @Test
    void deathBecomesDeceasedWithDateAndPlace() {
        DeathRegistered death = FIXTURES.death(FIXTURES.citizen().nik(), CitizenFixtures.today().minusDays(1));

        TaxpayerChange change = onlyChange(death);

        assertChangeHeader(change, death);
        assertThat(TaxXml.localDate(change.getDeceased().getDateOfDeath())).isEqualTo(death.dateOfDeath());
        assertThat(change.getDeceased().getPlaceOfDeath()).isEqualTo(death.placeOfDeath());
    }

    @Test
    void deathWithThePlaceWithheldKeepsTheDate() {
        DeathRegistered full = FIXTURES.death(FIXTURES.citizen().nik(), CitizenFixtures.today());
        DeathRegistered withheld = new DeathRegistered(full.eventId(), full.occurredAt(), full.nik(),
                full.dateOfDeath(), null);

        TaxpayerChange change = onlyChange(withheld);

        assertThat(TaxXml.localDate(change.getDeceased().getDateOfDeath())).isEqualTo(full.dateOfDeath());
        assertThat(change.getDeceased().getPlaceOfDeath()).isNull();
        assertThat(TaxXml.marshal(change)).isNotEmpty();
    }

    @Test
    void deathOfAMinorAlsoTellsTheParentsTheirNewCounts() {
        Citizen child = FIXTURES.citizen(Sex.FEMALE, CitizenFixtures.today().minusYears(4));
        DeathRegistered death = FIXTURES.death(child.nik(), CitizenFixtures.today());

        List<Object> documents = translator.translate(death, Map.of(child.motherNik(), 0));

        assertThat(documents).hasSize(2);
        assertThat(((TaxpayerChange) documents.get(0)).getDeceased()).isNotNull();
        assertDependants(documents.get(1), death, child.motherNik(), 0);
    }

    @Test
    void eventWithoutAFieldItCannotDoWithoutIsUntranslatable() {
        String nik = FIXTURES.citizen().nik();
        AddressChanged noAddress = FIXTURES.addressChange(nik, null);
        NameChanged noName = FIXTURES.nameChange(nik, null);
        DeathRegistered noDate = new DeathRegistered(UUID.randomUUID(), noAddress.occurredAt(), nik, null, null);
        MarriageRegistered noMarriageDate = FIXTURES.marriage(nik, FIXTURES.citizen().nik(), null);
        BirthRegistered noCitizen = new BirthRegistered(UUID.randomUUID(), noAddress.occurredAt(), null);

        for (CitizenEvent event : List.of(noAddress, noName, noDate, noMarriageDate, noCitizen)) {
            assertThatThrownBy(() -> translator.translate(event))
                    .isInstanceOf(AgencyRejectedException.class)
                    .hasMessageContaining(event.eventId().toString())
                    .hasMessageNotContaining(nik)
                    .extracting(e -> ((AgencyRejectedException) e).code())
                    .isEqualTo(ErrorCode.TRANSLATION_FAILED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEventType")
    void everyDocumentOfEveryEventTypeIsValidAgainstTheXsd(String type, CitizenEvent event,
                                                           Map<String, Integer> dependants) {
        List<Object> documents = translator.translate(event, dependants);

        assertThat(documents).isNotEmpty().allSatisfy(document -> {
            byte[] xml = TaxXml.marshal(document);
            Object read = TaxXml.unmarshal(xml);
            assertThat(TaxXml.messageId(read)).isEqualTo(TaxXml.messageId(document));
            assertThat(TaxXml.nik(read)).isEqualTo(TaxXml.nik(document));
        });
    }

    static Stream<Arguments> everyEventType() {
        Citizen newborn = FIXTURES.citizen(Sex.MALE, CitizenFixtures.today().minusDays(1));
        Citizen adult = FIXTURES.citizen();
        Map<String, Integer> parents = new LinkedHashMap<>();
        parents.put(newborn.nik(), 0);
        parents.put(newborn.motherNik(), 1);
        parents.put(newborn.fatherNik(), 4);
        LocalDate today = CitizenFixtures.today();
        return Stream.of(
                Arguments.of("BirthRegistered", FIXTURES.birth(newborn), parents),
                Arguments.of("AddressChanged",
                        FIXTURES.addressChange(adult.nik(), FIXTURES.otherAddress(adult.address())), Map.of()),
                Arguments.of("NameChanged",
                        FIXTURES.nameChange(adult.nik(), "I Made Sudarsana Putra"), Map.of()),
                Arguments.of("MarriageRegistered",
                        FIXTURES.marriage(adult.nik(), FIXTURES.citizen().nik(), today), Map.of()),
                Arguments.of("DivorceRegistered",
                        FIXTURES.divorce(adult.nik(), FIXTURES.citizen().nik(), today), Map.of()),
                Arguments.of("DeathRegistered",
                        FIXTURES.death(newborn.nik(), today), Map.of(newborn.motherNik(), 0)));
    }

    private TaxpayerChange onlyChange(CitizenEvent event) {
        List<Object> documents = translator.translate(event);
        assertThat(documents).singleElement().isInstanceOf(TaxpayerChange.class);
        return (TaxpayerChange) documents.get(0);
    }

    private static void assertChangeHeader(TaxpayerChange change, CitizenEvent event) {
        assertThat(change.getMessageId()).isEqualTo(event.eventId().toString());
        assertThat(XmlTimestamps.offsetDateTime(change.getOccurredAt())).isEqualTo(event.occurredAt());
        assertThat(change.getNik()).isEqualTo(event.subjectNik());
    }

    private static void assertDependants(Object document, CitizenEvent cause, String parentNik, int count) {
        assertThat(document).isInstanceOf(TaxpayerChange.class);
        TaxpayerChange change = (TaxpayerChange) document;
        assertThat(change.getNik()).isEqualTo(parentNik);
        assertThat(change.getNumberOfDependants()).isEqualTo(count);
        assertThat(change.getMessageId()).isEqualTo(expectedDependantsId(cause, parentNik));
        assertThat(XmlTimestamps.offsetDateTime(change.getOccurredAt())).isEqualTo(cause.occurredAt());
        assertThat(change).extracting("address", "fullName", "maritalStatus", "deceased").containsOnlyNulls();
    }

    /** The rule as the brief states it, written out independently of the translator's own helper. */
    private static String expectedDependantsId(CitizenEvent cause, String parentNik) {
        return UUID.nameUUIDFromBytes(("dependants:" + cause.eventId() + ":" + parentNik)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static void assertAddress(id.jembatan.schema.tax.v1.Address actual, Address expected) {
        assertThat(actual).isNotNull();
        assertThat(new Address(actual.getStreet(), actual.getRt(), actual.getRw(), actual.getVillageCode(),
                actual.getVillage(), actual.getDistrictCode(), actual.getDistrict(), actual.getRegencyCode(),
                actual.getRegency(), actual.getProvinceCode(), actual.getProvince(), actual.getPostalCode()))
                .isEqualTo(expected);
    }

    private static List<String> messageIds(List<Object> documents) {
        return documents.stream().map(TaxXml::messageId).toList();
    }
}
