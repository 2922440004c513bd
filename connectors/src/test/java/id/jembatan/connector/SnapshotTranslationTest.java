package id.jembatan.connector;

import id.jembatan.connector.health.HealthTranslator;
import id.jembatan.connector.health.R4Validator;
import id.jembatan.connector.licensing.LicenceUpdate;
import id.jembatan.connector.licensing.LicensingTranslator;
import id.jembatan.connector.tax.TaxTranslator;
import id.jembatan.connector.tax.TaxXml;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenSnapshot;
import id.jembatan.schema.tax.v1.TaxpayerChange;
import id.jembatan.schema.tax.v1.TaxpayerRegistration;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A sync job's {@link CitizenSnapshot} in each agency's form: tax, health and licensing. */
class SnapshotTranslationTest {

    private final CitizenFixtures fixtures = new CitizenFixtures();
    private final Citizen citizen = fixtures.citizen();
    private final OffsetDateTime changed = OffsetDateTime.of(2026, 11, 20, 1, 15, 0, 0, ZoneOffset.UTC);

    private CitizenSnapshot living() {
        return new CitizenSnapshot(UUID.randomUUID(), changed, citizen, null, null, null);
    }

    private CitizenSnapshot deceased() {
        return new CitizenSnapshot(UUID.randomUUID(), changed, citizen, null, LocalDate.of(2026, 11, 19), "Jakarta");
    }

    /** Tax: the whole registration (valid against taxpayer.xsd); a deceased citizen's death follows as a change. */
    @Test
    void theTaxOfficeGetsARegistrationAndTheDeath() {
        TaxTranslator tax = new TaxTranslator();
        List<Object> living = tax.translate(living());
        assertThat(living).singleElement().isInstanceOfSatisfying(TaxpayerRegistration.class, r -> {
            assertThat(r.getTaxpayer().getNik()).isEqualTo(citizen.nik());
            assertThat(r.getTaxpayer().getFullName()).isEqualTo(citizen.fullName());
        });
        living.forEach(TaxXml::marshal);

        CitizenSnapshot dead = deceased();
        List<Object> documents = tax.translate(dead);
        assertThat(documents).hasSize(2);
        assertThat(documents.get(1)).isInstanceOfSatisfying(TaxpayerChange.class, change -> {
            assertThat(change.getDeceased()).isNotNull();
            assertThat(change.getMessageId()).isEqualTo(TaxTranslator.deathMessageId(dead.eventId()));
        });
        documents.forEach(TaxXml::marshal);
    }

    /** Health: a Patient with the whole record, deceased when the citizen died, valid for HAPI's R4 validator. */
    @Test
    void healthGetsTheWholePatient() {
        HealthTranslator health = new HealthTranslator(Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"),
                ZoneOffset.UTC));
        Patient patient = health.newPatient(deceased());
        assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo(citizen.nik());
        assertThat(patient.getNameFirstRep().getText()).isNotBlank();
        assertThat(patient.getDeceasedDateTimeType().getValueAsString()).isEqualTo("2026-11-19");
        assertThat(R4Validator.errors(patient)).isEmpty();

        Patient held = new Patient();
        held.addTelecom().setValue("+62 811 0000 0000");
        health.apply(living(), held);
        assertThat(held.getBirthDateElement().getValueAsString()).isEqualTo(citizen.birthDate().toString());
        assertThat(held.getTelecom()).hasSize(1);
    }

    /** Licensing: UPDATE with the current name and address, REVOKE for a deceased citizen. */
    @Test
    void licensingGetsUpdateOrRevoke() {
        LicensingTranslator licensing = new LicensingTranslator();
        assertThat(licensing.translate(living())).hasValueSatisfying(row -> {
            assertThat(row.action()).isEqualTo(LicenceUpdate.Action.UPDATE);
            assertThat(row.fullName()).isEqualTo(citizen.fullName());
            assertThat(row.address()).isEqualTo(citizen.address());
        });
        assertThat(licensing.translate(deceased())).hasValueSatisfying(
                row -> assertThat(row.action()).isEqualTo(LicenceUpdate.Action.REVOKE));
    }
}
