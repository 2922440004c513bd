package id.jembatan.it;

import id.jembatan.operations.DeliverySwitch;
import jakarta.jms.Message;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.springframework.context.ApplicationContext;
import id.jembatan.sandbox.tax.TaxSandbox;
import id.jembatan.sandbox.tax.TaxpayerRecord;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.MaritalStatus;
import id.jembatan.schema.model.Sex;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tax office receives XML (valid against the published XSD; its sandbox refuses anything else) over HTTP POST.
 */
class TaxDeliveryIT extends BusTestSupport {

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @Autowired
    ApplicationContext bus;

    @Autowired
    TaxSandbox tax;

    /**
     * A citizen is registered, moves, changes name, marries, divorces and dies. Result: the tax office's record
     * of the taxpayer shows each change (identity, address, marital status with spouse, deceased), and nothing it
     * may not receive (the religion is not part of its format at all).
     */
    @Test
    void aLifeReachesTheTaxOffice() {
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        BirthRegistered spouseBirth = fixtures.birth();
        String spouse = spouseBirth.citizen().nik();
        var moved = fixtures.addressChange(nik, fixtures.otherAddress(birth.citizen().address()));
        post(spouseBirth);
        post(birth);
        await().atMost(Duration.ofSeconds(20)).until(() -> tax.taxpayer(nik).isPresent());
        TaxpayerRecord registered = tax.taxpayer(nik).orElseThrow();
        assertThat(registered.registered()).isTrue();
        assertThat(registered.fullName()).isEqualTo(birth.citizen().fullName());
        assertThat(registered.birthDate()).isEqualTo(birth.citizen().birthDate());
        assertThat(registered.familyCardNumber()).isEqualTo(birth.citizen().familyCardNumber());
        assertThat(registered.address()).isEqualTo(birth.citizen().address());

        post(moved);
        post(fixtures.nameChange(nik, "Rina Kartika Sari"));
        post(fixtures.marriage(nik, spouse, CitizenFixtures.today().minusDays(40)));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> tax.taxpayer(nik).orElseThrow().maritalStatus() == MaritalStatus.MARRIED);
        TaxpayerRecord married = tax.taxpayer(nik).orElseThrow();
        assertThat(married.address()).isEqualTo(moved.address());
        assertThat(married.fullName()).isEqualTo("Rina Kartika Sari");
        assertThat(married.spouseNik()).isEqualTo(spouse);

        post(fixtures.divorce(nik, spouse, CitizenFixtures.today().minusDays(5)));
        post(fixtures.death(nik, CitizenFixtures.today().minusDays(1)));
        await().atMost(Duration.ofSeconds(20)).until(() -> tax.taxpayer(nik).orElseThrow().deceased());
        TaxpayerRecord last = tax.taxpayer(nik).orElseThrow();
        assertThat(last.maritalStatus()).isEqualTo(MaritalStatus.DIVORCED);
        assertThat(last.dateOfDeath()).isEqualTo(CitizenFixtures.today().minusDays(1));
    }

    /**
     * A mother is registered, then her baby with her NIK as mother. Result: the tax office receives the baby's
     * registration and a change of the mother's number of dependants to 1.
     */
    @Test
    void aChildsBirthUpdatesTheParentsDependants() {
        Citizen mother = fixtures.citizen(Sex.FEMALE, LocalDate.of(1994, 6, 2));
        post(fixtures.birth(mother));
        Citizen child = fixtures.citizen(Sex.MALE, CitizenFixtures.today().minusDays(3));
        Citizen baby = new Citizen(child.nik(), mother.familyCardNumber(), child.fullName(), child.birthPlace(),
                child.birthDate(), child.sex(), child.religion(), child.maritalStatus(), null, child.nationality(),
                mother.nik(), null, mother.address());
        post(fixtures.birth(baby));

        await().atMost(Duration.ofSeconds(20)).until(() -> tax.taxpayer(baby.nik()).isPresent()
                && Integer.valueOf(1).equals(tax.taxpayer(mother.nik()).orElseThrow().numberOfDependants()));
    }

    /**
     * Three births wait together in the tax office's queue (its delivery paused); the tax office refuses documents
     * about the second newborn; delivery resumes. Result: the demo tax office takes batches ({@code batch: true}): the
     * first and third newborns are registered, and the second birth alone is in {@code dlq.tax} with
     * {@code AGENCY_REJECTED} and the office's reason, after the configured retries.
     */
    @Test
    void aBatchReachesTheTaxOfficeAndADocumentItRejectsIsDeadLetteredAlone() throws Exception {
        List<BirthRegistered> births = List.of(fixtures.birth(), fixtures.birth(), fixtures.birth());
        String refused = births.get(1).subjectNik();
        DeliverySwitch deliveries = bus.getBean(DeliverySwitch.class);
        tax.refuseDocumentsAbout(refused);
        deliveries.pause("tax");
        try {
            births.forEach(this::post);
            await().atMost(DEFAULT_WAIT).until(() -> brokerQueue("citizen.events", "tax", RoutingType.MULTICAST)
                    .getMessageCount() >= 3);
        } finally {
            deliveries.resume("tax");
        }
        try {
            Message dead = awaitDeadLetter("tax", births.get(1).eventId(), DEFAULT_WAIT);
            assertThat(dead.getStringProperty("JembatanErrorCode")).isEqualTo("AGENCY_REJECTED");
            assertThat(dead.getStringProperty("JembatanErrorReason")).contains("does not accept documents about")
                    .doesNotContain(refused);
            await().atMost(DEFAULT_WAIT).until(() -> tax.taxpayer(births.get(0).subjectNik()).isPresent()
                    && tax.taxpayer(births.get(2).subjectNik()).isPresent());
            assertThat(tax.taxpayer(refused)).isEmpty();
        } finally {
            tax.refuseDocumentsAbout(null);
        }
    }

    private void post(id.jembatan.schema.model.CitizenEvent event) {
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(event)).statusCode())
                .as(event.eventType().wireName()).isEqualTo(202);
    }

    static List<String> niksOf(List<Object> documents) {
        return documents.stream().map(TaxDeliveryIT::nikOf).toList();
    }

    static String nikOf(Object document) {
        if (document instanceof id.jembatan.schema.tax.v1.TaxpayerRegistration r) {
            return r.getTaxpayer().getNik();
        }
        return ((id.jembatan.schema.tax.v1.TaxpayerChange) document).getNik();
    }

    static String messageIdOf(Object document) {
        if (document instanceof id.jembatan.schema.tax.v1.TaxpayerRegistration r) {
            return r.getMessageId();
        }
        return ((id.jembatan.schema.tax.v1.TaxpayerChange) document).getMessageId();
    }
}
