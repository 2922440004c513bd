package id.jembatan.connector.tax;

import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.connector.AgencyUnavailableException;
import id.jembatan.connector.BatchResult;
import id.jembatan.sandbox.tax.TaxSandbox;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Address;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.Sex;
import id.jembatan.schema.rules.Nik;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tax connector's batches ({@code batch: true}, {@link TaxConnector#deliverAll}) against a running tax sandbox,
 * over real HTTP: several events' documents in one {@code TaxpayerBatch}, each one's outcome read from the
 * {@code TaxpayerBatchResult}.
 */
class TaxBatchTest {

    private static final CitizenFixtures FIXTURES = new CitizenFixtures();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final InMemoryCitizenDirectory directory = new InMemoryCitizenDirectory();
    private TaxSandbox sandbox;
    private TaxConnector connector;

    @BeforeEach
    void startSandbox() {
        sandbox = new TaxSandbox(0);
        sandbox.start();
        connector = new TaxConnector(sandbox.endpoint(), directory, TIMEOUT, HTTP, true);
    }

    @AfterEach
    void stopSandbox() {
        sandbox.stop();
    }

    /**
     * Two births and the move of a third citizen in one batch, then the same batch again (a redelivery). Result:
     * nothing refused; the tax office holds both newborns and the new address; every document arrived once; the
     * repeat is delivered too and applies nothing (each of its documents a DUPLICATE).
     */
    @Test
    void aBatchIsAppliedOnceAndItsRepeatChangesNothing() {
        BirthRegistered first = born(FIXTURES.citizen());
        BirthRegistered second = born(FIXTURES.citizen());
        Citizen moving = FIXTURES.citizen();
        directory.register(moving);
        Address moved = FIXTURES.otherAddress(moving.address());
        List<CitizenEvent> batch = List.of(first, FIXTURES.addressChange(moving.nik(), moved), second);

        BatchResult result = connector.deliverAll(batch);

        assertThat(refused(result)).isEmpty();
        assertThat(sandbox.taxpayer(first.subjectNik()).orElseThrow().registered()).isTrue();
        assertThat(sandbox.taxpayer(second.subjectNik()).orElseThrow().registered()).isTrue();
        assertThat(sandbox.taxpayer(moving.nik()).orElseThrow().address()).isEqualTo(moved);
        int documents = sandbox.received().size();
        assertThat(documents).isGreaterThanOrEqualTo(3);

        assertThat(refused(connector.deliverAll(batch))).isEmpty();

        assertThat(sandbox.received()).hasSize(documents);
        assertThat(sandbox.duplicatesIgnored()).isEqualTo(documents);
    }

    /**
     * The tax office refuses the documents about one of three citizens of a batch. Result: that event alone is
     * refused with {@code AGENCY_REJECTED} and the office's reason, its NIK masked; the two others are applied.
     */
    @Test
    void aDocumentTheOfficeRejectsRefusesItsEventAlone() {
        List<BirthRegistered> births = List.of(born(FIXTURES.citizen()), born(FIXTURES.citizen()),
                born(FIXTURES.citizen()));
        String refusedNik = births.get(1).subjectNik();
        sandbox.refuseDocumentsAbout(refusedNik);

        BatchResult result = connector.deliverAll(List.copyOf(births));

        assertThat(refused(result)).containsExactly(1);
        AgencyRejectedException refusal = (AgencyRejectedException) result.refusal(1);
        assertThat(refusal.code()).isEqualTo(ErrorCode.AGENCY_REJECTED);
        assertThat(refusal.getMessage()).contains("does not accept documents about taxpayer " + Nik.mask(refusedNik))
                .doesNotContain(refusedNik);
        assertThat(sandbox.taxpayer(births.get(0).subjectNik())).isPresent();
        assertThat(sandbox.taxpayer(births.get(2).subjectNik())).isPresent();
        assertThat(sandbox.taxpayer(refusedNik)).isEmpty();
    }

    /**
     * Three births in one batch; the middle newborn's parents already have 100 minor children, so their new numbers
     * of dependants exceed what taxpayer.xsd allows and the batch is not valid as a whole. Result: that event alone is
     * refused with {@code TRANSLATION_FAILED} and the same reason it gets when delivered alone; none of its documents
     * (not even the newborn's own, valid registration) reaches the tax office; the two other births are applied.
     */
    @Test
    void anEventWithAnInvalidDocumentIsRefusedAloneAndTheOthersAreApplied() {
        Citizen crowded = FIXTURES.citizen(Sex.MALE, CitizenFixtures.today());
        for (int i = 0; i < 100; i++) {
            directory.register(TaxConnectorTest.sibling(crowded, CitizenFixtures.today().minusDays(i + 1)));
        }
        List<BirthRegistered> births = List.of(born(FIXTURES.citizen()), born(crowded), born(FIXTURES.citizen()));

        BatchResult result = connector.deliverAll(List.copyOf(births));

        assertThat(refused(result)).containsExactly(1);
        AgencyRejectedException refusal = (AgencyRejectedException) result.refusal(1);
        assertThat(refusal.code()).isEqualTo(ErrorCode.TRANSLATION_FAILED);
        assertThatThrownBy(() -> connector.deliver(births.get(1)))
                .isInstanceOf(AgencyRejectedException.class).hasMessage(refusal.getMessage());
        assertThat(sandbox.taxpayer(births.get(0).subjectNik())).isPresent();
        assertThat(sandbox.taxpayer(births.get(2).subjectNik())).isPresent();
        assertThat(sandbox.taxpayer(crowded.nik())).isEmpty();
        assertThat(sandbox.taxpayer(crowded.motherNik())).isEmpty();
    }

    /** The tax office answers 503. Result: the whole batch fails as unavailable, to be taken again later. */
    @Test
    void anOfficeThatIsDownFailsTheWholeBatch() {
        sandbox.setFailWith(503);

        assertThatThrownBy(() -> connector.deliverAll(List.of(born(FIXTURES.citizen()), born(FIXTURES.citizen()))))
                .isInstanceOf(AgencyUnavailableException.class);
    }

    /**
     * A batch of three births: a newborn, a brother born two days before her (both births reported together) and a
     * child of another family. Result: the index is asked for numbers of children once per day the births occurred on
     * (not once per birth), each NIK of the batch once; the tax office learns that the siblings' mother and father
     * each have two dependants, and the other child's parents one.
     */
    @Test
    void aBatchAsksTheIndexForItsDependantsTogether() {
        Citizen newborn = FIXTURES.citizen(Sex.FEMALE, CitizenFixtures.today().minusDays(1));
        Citizen brother = TaxConnectorTest.sibling(newborn, CitizenFixtures.today().minusDays(3));
        Citizen other = FIXTURES.citizen(Sex.MALE, CitizenFixtures.today().minusDays(2));
        List<CitizenEvent> batch = List.of(born(newborn), born(brother), born(other));

        assertThat(refused(connector.deliverAll(batch))).isEmpty();

        assertThat(directory.childrenQuestions())
                .hasSize((int) batch.stream().map(e -> e.occurredAt().toLocalDate()).distinct().count());
        assertThat(directory.childrenQuestions().stream().flatMap(List::stream))
                .containsExactlyInAnyOrder(newborn.nik(), newborn.motherNik(), newborn.fatherNik(), brother.nik(),
                        other.nik(), other.motherNik(), other.fatherNik());
        assertThat(sandbox.taxpayer(newborn.motherNik()).orElseThrow().numberOfDependants()).isEqualTo(2);
        assertThat(sandbox.taxpayer(newborn.fatherNik()).orElseThrow().numberOfDependants()).isEqualTo(2);
        assertThat(sandbox.taxpayer(other.motherNik()).orElseThrow().numberOfDependants()).isEqualTo(1);
    }

    private BirthRegistered born(Citizen citizen) {
        directory.register(citizen);
        return FIXTURES.birth(citizen);
    }

    private static List<Integer> refused(BatchResult result) {
        return java.util.stream.IntStream.range(0, result.size()).filter(i -> result.refusal(i) != null).boxed()
                .toList();
    }
}
