package id.jembatan.connector.health;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Address;
import id.jembatan.schema.model.AddressChanged;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.schema.model.MaritalStatus;
import id.jembatan.schema.model.NameChanged;
import id.jembatan.schema.model.Nationality;
import id.jembatan.schema.model.Sex;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The translator alone, without Camel or HTTP: canonical citizens and events to R4 Patients and back. */
class HealthTranslatorTest {

    private static final Instant NOW = Instant.parse("2026-11-20T01:15:00Z");
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 20);

    private final CitizenFixtures fixtures = new CitizenFixtures(Clock.fixed(NOW, ZoneOffset.UTC));
    private final HealthTranslator translator = new HealthTranslator(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void birthCarriesEveryRegistryFieldFhirHasAPlaceFor() {
        Citizen citizen = fixtures.citizen();
        Address a = citizen.address();

        Patient patient = translator.toPatient(fixtures.birth(citizen));

        assertThat(patient.getIdentifier()).extracting(Identifier::getSystem, Identifier::getValue).containsExactly(
                org.assertj.core.groups.Tuple.tuple(HealthFhir.NIK_SYSTEM, citizen.nik()),
                org.assertj.core.groups.Tuple.tuple(HealthFhir.FAMILY_CARD_SYSTEM, citizen.familyCardNumber()));
        assertThat(patient.getIdentifierFirstRep().getUse()).isEqualTo(Identifier.IdentifierUse.OFFICIAL);
        HumanName name = patient.getNameFirstRep();
        assertThat(name.getUse()).isEqualTo(HumanName.NameUse.OFFICIAL);
        assertThat(name.getText()).isEqualTo(citizen.fullName());
        assertThat(patient.getGender()).isEqualTo(citizen.sex() == Sex.FEMALE
                ? AdministrativeGender.FEMALE : AdministrativeGender.MALE);
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo(citizen.birthDate().toString());
        assertThat(patient.getMaritalStatus().getCodingFirstRep().getSystem())
                .isEqualTo("http://terminology.hl7.org/CodeSystem/v3-MaritalStatus");
        assertThat(patient.getMaritalStatus().getCodingFirstRep().getCode()).isEqualTo("S");
        assertThat(patient.hasDeceased()).isFalse();

        org.hl7.fhir.r4.model.Address address = patient.getAddressFirstRep();
        assertThat(address.getUse()).isEqualTo(org.hl7.fhir.r4.model.Address.AddressUse.HOME);
        assertThat(address.getLine()).extracting(StringType::getValue)
                .containsExactly(a.street(), "RT " + a.rt() + "/RW " + a.rw());
        assertThat(address.getCity()).isEqualTo(a.regency());
        assertThat(address.getDistrict()).isEqualTo(a.district());
        assertThat(address.getState()).isEqualTo(a.province());
        assertThat(address.getPostalCode()).isEqualTo(a.postalCode());
        assertThat(address.getCountry()).isEqualTo("ID");
        assertThat(address.getText()).startsWith(a.street()).contains(a.village()).endsWith(a.postalCode());
        assertThat(((StringType) address.getExtensionByUrl(HealthFhir.PRECINCT_URL).getValue()).getValue())
                .isEqualTo(a.village());
        Extension codes = address.getExtensionByUrl(HealthFhir.ADMINISTRATIVE_CODE_URL);
        assertThat(codes.getExtension()).extracting(Extension::getUrl)
                .containsExactlyElementsOf(HealthFhir.ADMINISTRATIVE_CODE_PARTS);
        assertThat(codes.getExtension()).extracting(e -> ((CodeType) e.getValue()).getValue()).containsExactly(
                a.provinceCode(), a.regencyCode(), a.districtCode(), a.villageCode(), a.rt(), a.rw());

        assertThat(((org.hl7.fhir.r4.model.Address) patient.getExtensionByUrl(HealthFhir.BIRTH_PLACE_URL).getValue())
                .getCity()).isEqualTo(citizen.birthPlace());
        assertThat(((CodeType) patient.getExtensionByUrl(HealthFhir.CITIZENSHIP_STATUS_URL).getValue()).getValue())
                .isEqualTo("WNI");
    }

    @Test
    void namesAreSplitTheWayIndonesianNamesWork() {
        assertThat(name("Sukarno")).satisfies(n -> {
            assertThat(n.getText()).isEqualTo("Sukarno");
            assertThat(n.getGiven()).extracting(PrimitiveType::getValue).containsExactly("Sukarno");
            assertThat(n.hasFamily()).as("no invented family name").isFalse();
        });
        assertThat(name("Siti Rahmawati")).satisfies(n -> {
            assertThat(n.getGiven()).extracting(PrimitiveType::getValue).containsExactly("Siti");
            assertThat(n.getFamily()).isEqualTo("Rahmawati");
        });
        assertThat(name("Hendra Siregar")).satisfies(n -> assertThat(n.getFamily()).isEqualTo("Siregar"));
        assertThat(name("Ni Made Artini")).satisfies(n -> {
            assertThat(n.getGiven()).extracting(PrimitiveType::getValue).containsExactly("Ni", "Made");
            assertThat(n.getFamily()).isEqualTo("Artini");
        });
        assertThat(name("Ahmad Fauzi bin Yusuf Hidayat")).satisfies(n -> {
            assertThat(n.getGiven()).extracting(PrimitiveType::getValue).containsExactly("Ahmad", "Fauzi");
            assertThat(n.getFamily()).isEqualTo("bin Yusuf Hidayat");
            assertThat(n.getText()).isEqualTo("Ahmad Fauzi bin Yusuf Hidayat");
        });
    }

    @Test
    void aBabyUnderOneYearIsAlsoIdentifiedByItsMothersNik() {
        Citizen baby = fixtures.citizen(Sex.FEMALE, TODAY.minusMonths(3));
        Citizen toddler = fixtures.citizen(Sex.MALE, TODAY.minusYears(1));

        Patient babyPatient = translator.toPatient(fixtures.birth(baby));
        Patient toddlerPatient = translator.toPatient(fixtures.birth(toddler));

        assertThat(babyPatient.getIdentifier()).extracting(Identifier::getSystem, Identifier::getValue).contains(
                org.assertj.core.groups.Tuple.tuple(HealthFhir.NIK_SYSTEM, baby.nik()),
                org.assertj.core.groups.Tuple.tuple(HealthFhir.MOTHER_NIK_SYSTEM, baby.motherNik()));
        assertThat(toddlerPatient.getIdentifier()).as("one year old on the day: no longer a baby")
                .extracting(Identifier::getSystem).doesNotContain(HealthFhir.MOTHER_NIK_SYSTEM);
        assertThat(HealthTranslator.isInfant(TODAY.minusYears(1).plusDays(1), TODAY)).isTrue();
        assertThat(HealthTranslator.isInfant(TODAY.minusYears(1), TODAY)).isFalse();
    }

    @Test
    void theInfantRuleIsDecidedOnTheDayTheBirthWasRegistered() {
        Citizen baby = fixtures.citizen(Sex.MALE, TODAY.minusMonths(11));
        BirthRegistered registeredLate = new BirthRegistered(UUID.randomUUID(),
                OffsetDateTime.of(2026, 11, 20, 9, 0, 0, 0, ZoneOffset.ofHours(7)).plusMonths(2), baby);

        assertThat(translator.toPatient(registeredLate).getIdentifier()).extracting(Identifier::getSystem)
                .doesNotContain(HealthFhir.MOTHER_NIK_SYSTEM);
        assertThat(translator.toPatient(baby).getIdentifier()).as("as of today (the translator's clock)")
                .extracting(Identifier::getSystem).contains(HealthFhir.MOTHER_NIK_SYSTEM);
    }

    @Test
    void aPatientKnownOnlyByTheMothersNikIsACitizenWithoutNik() {
        Citizen mother = fixtures.citizen(Sex.FEMALE, LocalDate.of(1995, 3, 14));
        Patient newborn = new Patient();
        newborn.addIdentifier().setUse(Identifier.IdentifierUse.OFFICIAL)
                .setSystem(HealthFhir.MOTHER_NIK_SYSTEM).setValue(mother.nik());
        newborn.setGender(AdministrativeGender.FEMALE);
        newborn.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(TODAY.minusDays(2).toString()));

        Citizen citizen = PatientReader.citizen(newborn);

        assertThat(citizen.nik()).isNull();
        assertThat(citizen.motherNik()).isEqualTo(mother.nik());
        assertThat(citizen.sex()).isEqualTo(Sex.FEMALE);
        assertThat(translator.toPatient(citizen).equalsDeep(newborn)).as("and back").isTrue();
    }

    @Test
    void aMoveReplacesTheHomeAddressAndKeepsTheAgencysOtherAddresses() {
        Citizen citizen = fixtures.citizen();
        Patient patient = translator.toPatient(fixtures.birth(citizen));
        patient.addAddress().setUse(org.hl7.fhir.r4.model.Address.AddressUse.TEMP).setCity("Bogor");
        Address next = fixtures.otherAddress(citizen.address());

        translator.apply(fixtures.addressChange(citizen.nik(), next), patient);

        assertThat(patient.getAddress()).hasSize(2);
        assertThat(patient.getAddressFirstRep().getLine().get(0).getValue()).isEqualTo(next.street());
        assertThat(patient.getAddressFirstRep().getCity()).isEqualTo(next.regency());
        assertThat(PatientReader.citizen(patient).address()).isEqualTo(next);
        assertThat(patient.getAddress().get(1).getCity()).isEqualTo("Bogor");
    }

    @Test
    void aNameChangeReplacesTheOfficialNameAndKeepsANickname() {
        Citizen citizen = fixtures.citizen();
        Patient patient = translator.toPatient(fixtures.birth(citizen));
        patient.addName().setUse(HumanName.NameUse.USUAL).setText("Ucok");

        translator.apply(fixtures.nameChange(citizen.nik(), "Muhammad Rizky Pratama"), patient);

        assertThat(patient.getName()).extracting(HumanName::getText).containsExactly("Muhammad Rizky Pratama", "Ucok");
        assertThat(PatientReader.citizen(patient).fullName()).isEqualTo("Muhammad Rizky Pratama");
    }

    @Test
    void marriageAndDivorceSetTheMaritalStatus() {
        Citizen citizen = fixtures.citizen();
        Citizen spouse = fixtures.citizen();
        Patient patient = translator.toPatient(fixtures.birth(citizen));

        translator.apply(fixtures.marriage(citizen.nik(), spouse.nik(), TODAY.minusYears(3)), patient);
        assertThat(patient.getMaritalStatus().getCodingFirstRep().getCode()).isEqualTo("M");
        assertThat(patient.getMaritalStatus().getCodingFirstRep().getDisplay()).isEqualTo("Married");
        assertThat(PatientReader.citizen(patient).maritalStatus()).isEqualTo(MaritalStatus.MARRIED);

        translator.apply(fixtures.divorce(citizen.nik(), spouse.nik(), TODAY), patient);
        assertThat(patient.getMaritalStatus().getCodingFirstRep().getCode()).isEqualTo("D");
        assertThat(PatientReader.citizen(patient).maritalStatus()).isEqualTo(MaritalStatus.DIVORCED);
    }

    @Test
    void aDeathSetsDeceasedDateTimeToTheDay() {
        Citizen citizen = fixtures.citizen();
        Patient patient = translator.toPatient(fixtures.birth(citizen));

        translator.apply(fixtures.death(citizen.nik(), LocalDate.of(2026, 11, 18)), patient);

        assertThat(patient.getDeceasedDateTimeType().getValueAsString()).isEqualTo("2026-11-18");
        assertThat(patient.getDeceasedDateTimeType().getPrecision()).isEqualTo(TemporalPrecisionEnum.DAY);
    }

    @Test
    void aBirthOntoAPatientTheAgencyAlreadyHasKeepsWhatTheAgencyAdded() {
        Citizen citizen = fixtures.citizen();
        Patient existing = new Patient();
        existing.addIdentifier().setSystem(HealthFhir.NIK_SYSTEM).setValue(citizen.nik());
        existing.addIdentifier().setSystem("https://fhir.kemkes.go.id/id/ihs-number").setValue("P02478375538");
        existing.addName().setText("siti r.");
        existing.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("+6281234567890");

        translator.apply(fixtures.birth(citizen), existing);

        assertThat(existing.getName()).extracting(HumanName::getText).containsExactly(citizen.fullName());
        assertThat(existing.getTelecomFirstRep().getValue()).isEqualTo("+6281234567890");
        assertThat(existing.getIdentifier()).extracting(Identifier::getSystem).containsExactlyInAnyOrder(
                "https://fhir.kemkes.go.id/id/ihs-number", HealthFhir.NIK_SYSTEM, HealthFhir.FAMILY_CARD_SYSTEM);
        assertThat(existing.getIdentifier()).filteredOn(i -> HealthFhir.NIK_SYSTEM.equals(i.getSystem())).hasSize(1);
        assertThat(PatientReader.citizen(existing).address()).isEqualTo(citizen.address());
    }

    @Test
    void fieldsWithheldByTheAccessPolicyAreLeftOutAndLeaveExistingValuesAlone() {
        Citizen full = fixtures.citizen();
        Citizen minimal = new Citizen(full.nik(), null, null, null, null, null, null, null, null, null, null, null,
                null);
        Address partial = new Address(null, null, null, full.address().villageCode(), null,
                full.address().districtCode(), null, full.address().regencyCode(), null,
                full.address().provinceCode(), null, null);

        Patient bare = translator.toPatient(fixtures.birth(minimal));
        assertThat(bare.getIdentifier()).extracting(Identifier::getSystem).containsExactly(HealthFhir.NIK_SYSTEM);
        assertThat(bare.hasName() || bare.hasAddress() || bare.hasGender() || bare.hasBirthDate()
                || bare.hasMaritalStatus() || bare.hasExtension()).isFalse();
        assertThat(PatientReader.citizen(bare)).isEqualTo(minimal);

        Patient patient = translator.toPatient(fixtures.birth(full));
        translator.apply(fixtures.birth(minimal), patient);
        assertThat(PatientReader.citizen(patient).fullName()).as("kept").isEqualTo(full.fullName());

        translator.apply(fixtures.addressChange(full.nik(), partial), patient);
        assertThat(patient.getAddressFirstRep().hasLine()).isFalse();
        assertThat(PatientReader.citizen(patient).address()).isEqualTo(partial);
        DeathRegistered withoutPlace = new DeathRegistered(UUID.randomUUID(), OffsetDateTime.now(), full.nik(),
                TODAY, null);
        translator.apply(withoutPlace, patient);
        assertThat(patient.hasDeceasedDateTimeType()).isTrue();
    }

    @Test
    void anEventWithoutWhatItIsAboutCannotBeTranslated() {
        String nik = fixtures.citizen().nik();
        Patient patient = new Patient();

        assertThatThrownBy(() -> translator.apply(new NameChanged(UUID.randomUUID(), OffsetDateTime.now(), nik, " "),
                patient)).isInstanceOfSatisfying(AgencyRejectedException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TRANSLATION_FAILED));
        assertThatThrownBy(() -> translator.apply(new AddressChanged(UUID.randomUUID(), OffsetDateTime.now(), nik,
                null), patient)).isInstanceOf(AgencyRejectedException.class);
        assertThatThrownBy(() -> translator.apply(new DeathRegistered(UUID.randomUUID(), OffsetDateTime.now(), nik,
                null, "Bandung"), patient)).isInstanceOf(AgencyRejectedException.class);
        assertThatThrownBy(() -> translator.toPatient(new Citizen(null, null, "Budi", null, null, null, null, null,
                null, null, null, null, null), TODAY)).isInstanceOf(AgencyRejectedException.class)
                .hasMessageContaining("neither");
    }

    @Test
    void aChangeForACitizenTheAgencyDoesNotKnowMakesAMinimalPatient() {
        Citizen citizen = fixtures.citizen();

        Patient patient = translator.newPatient(fixtures.death(citizen.nik(), TODAY));

        assertThat(patient.getIdentifier()).extracting(Identifier::getValue).containsExactly(citizen.nik());
        assertThat(patient.getDeceasedDateTimeType().getValueAsString()).isEqualTo(TODAY.toString());
    }

    @Test
    void citizensSurviveTheRoundTripInTheFieldsFhirCarries() {
        for (int i = 0; i < 200; i++) {
            Citizen citizen = i % 10 == 0 ? fixtures.citizen(Sex.FEMALE, TODAY.minusDays(i + 1)) : fixtures.citizen();
            boolean infant = HealthTranslator.isInfant(citizen.birthDate(), TODAY);
            Citizen carried = new Citizen(citizen.nik(), citizen.familyCardNumber(), citizen.fullName(),
                    citizen.birthPlace(), citizen.birthDate(), citizen.sex(), null, citizen.maritalStatus(), null,
                    citizen.nationality(), infant ? citizen.motherNik() : null, null, citizen.address());

            Patient patient = translator.toPatient(citizen, TODAY);
            Citizen back = PatientReader.citizen(patient);

            assertThat(back).isEqualTo(carried);
            assertThat(translator.toPatient(back, TODAY).equalsDeep(patient))
                    .as("Patient -> Citizen -> Patient for %s", citizen.fullName()).isTrue();
        }
    }

    @Test
    void patientsFromOtherSystemsAreReadAsFarAsTheyMakeSense() {
        Patient foreign = new Patient();
        foreign.addName().addGiven("Dewi").setFamily("Lestari");
        foreign.getBirthDateElement().setValueAsString("1987-04");
        foreign.getMaritalStatus().addCoding().setSystem(HealthFhir.MARITAL_STATUS_SYSTEM).setCode("L");
        foreign.addExtension(HealthFhir.CITIZENSHIP_STATUS_URL, new CodeType("WNA"));
        foreign.addAddress().addLine("Jl. Braga No. 5").addLine("RT 003/RW 011").setCity("Kota Bandung");

        Citizen citizen = PatientReader.citizen(foreign);

        assertThat(citizen.fullName()).isEqualTo("Dewi Lestari");
        assertThat(citizen.birthDate()).as("a month is not a birth date").isNull();
        assertThat(citizen.maritalStatus()).as("legally separated has no civil registry status").isNull();
        assertThat(citizen.nationality()).isEqualTo(Nationality.WNA);
        assertThat(citizen.address().street()).isEqualTo("Jl. Braga No. 5");
        assertThat(List.of(citizen.address().rt(), citizen.address().rw())).containsExactly("003", "011");
        assertThat(citizen.address().regency()).isEqualTo("Kota Bandung");
    }

    private HumanName name(String fullName) {
        Citizen citizen = fixtures.citizen();
        Citizen renamed = new Citizen(citizen.nik(), null, fullName, null, null, null, null, null, null, null, null,
                null, null);
        return translator.toPatient(renamed, TODAY).getNameFirstRep();
    }
}
