package id.jembatan.connector.tax;

import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.tax.v1.BatchEntryStatus;
import id.jembatan.schema.tax.v1.TaxpayerBatch;
import id.jembatan.schema.tax.v1.TaxpayerBatchResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The batch forms of taxpayer.xsd 1.1: a {@code TaxpayerBatch} made of documents written one by one, and the tax
 * office's {@code TaxpayerBatchResult}.
 */
class TaxBatchXmlTest {

    private final CitizenFixtures fixtures = new CitizenFixtures();
    private final TaxTranslator translator = new TaxTranslator();

    /**
     * A birth (a registration and the parents' new numbers of dependants) and a move, written one by one and put
     * into one batch. Result: the batch is a valid taxpayer.xsd document (it is parsed and validated as a request)
     * holding the same documents in the same order, each equal to what was written alone.
     */
    @Test
    void aBatchOfWrittenDocumentsIsValidAndHoldsThemInOrder() {
        var birth = fixtures.birth();
        List<CitizenEvent> events = List.of(birth, fixtures.addressChange(birth.citizen().nik(),
                fixtures.otherAddress(birth.citizen().address())));
        List<Object> documents = new ArrayList<>();
        documents.addAll(translator.translate(events.get(0), Map.of(birth.citizen().nik(), 0)));
        documents.addAll(translator.translate(events.get(1), Map.of()));

        byte[] batch = TaxXml.batch(documents.stream().map(TaxXml::marshal).toList());

        TaxpayerBatch read = (TaxpayerBatch) TaxXml.unmarshalRequest(batch);
        assertThat(read.getTaxpayerRegistrationOrTaxpayerChange()).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(documents);
        assertThat(new String(batch, StandardCharsets.UTF_8)).containsOnlyOnce("<?xml");
    }

    /**
     * A birth and a move written as one batch in one go ({@code marshalBatch}), then the same with a marriage whose
     * spouse NIK has a digit too many. Result: the first is a valid request holding the documents in order; the
     * second is refused as a whole with {@code TRANSLATION_FAILED}, its reason masking the NIK, and {@code marshal}
     * of the marriage's document alone names the same problem (how the connector finds the event at fault).
     */
    @Test
    void aBatchWrittenInOneGoIsValidatedAsAWhole() {
        var birth = fixtures.birth();
        List<Object> documents = new ArrayList<>(translator.translate(birth, Map.of(birth.citizen().nik(), 0)));
        documents.addAll(translator.translate(fixtures.addressChange(birth.citizen().nik(),
                fixtures.otherAddress(birth.citizen().address())), Map.of()));

        TaxpayerBatch read = (TaxpayerBatch) TaxXml.unmarshalRequest(TaxXml.marshalBatch(documents));

        assertThat(read.getTaxpayerRegistrationOrTaxpayerChange()).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(documents);
        String spouseTypo = fixtures.citizen().nik() + "7";
        Object invalid = translator.translate(fixtures.marriage(birth.citizen().nik(), spouseTypo,
                CitizenFixtures.today())).get(0);
        List<Object> withInvalid = new ArrayList<>(documents);
        withInvalid.add(1, invalid);
        assertThatThrownBy(() -> TaxXml.marshalBatch(withInvalid))
                .isInstanceOf(AgencyRejectedException.class)
                .hasMessageNotContaining(spouseTypo)
                .satisfies(e -> assertThat(((AgencyRejectedException) e).code())
                        .isEqualTo(ErrorCode.TRANSLATION_FAILED));
        assertThatThrownBy(() -> TaxXml.marshal(invalid)).isInstanceOf(AgencyRejectedException.class)
                .hasMessageContaining(Nik.mask(spouseTypo));
    }

    /**
     * A batch is not a single document. Result: {@code unmarshal}, which reads single documents, refuses it, so a
     * reader of single documents never mistakes a batch for one; an empty batch cannot be made.
     */
    @Test
    void aBatchIsNotASingleDocument() {
        byte[] batch = TaxXml.batch(List.of(TaxXml.marshal(translator.translate(fixtures.birth(), Map.of()).get(0))));

        assertThatThrownBy(() -> TaxXml.unmarshal(batch)).isInstanceOf(InvalidTaxDocumentException.class);
        assertThatThrownBy(() -> TaxXml.batch(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The tax office's answer, written and read back. Result: each result's MessageId, status and reason survive;
     * an answer that is not a TaxpayerBatchResult (an empty body, a single document) is refused.
     */
    @Test
    void theOfficesAnswerIsReadBack() {
        TaxpayerBatchResult answer = new TaxpayerBatchResult();
        TaxpayerBatchResult.Result applied = new TaxpayerBatchResult.Result();
        applied.setMessageId("0f8fad5b-d9cb-469f-a165-70867728950e");
        applied.setStatus(BatchEntryStatus.APPLIED);
        TaxpayerBatchResult.Result rejected = new TaxpayerBatchResult.Result();
        rejected.setMessageId("7c9e6679-7425-40de-944b-e07fc1f90ae7");
        rejected.setStatus(BatchEntryStatus.REJECTED);
        rejected.setReason("NIK unknown to the tax office");
        answer.getResult().addAll(List.of(applied, rejected));

        TaxpayerBatchResult read = TaxXml.unmarshalBatchResult(TaxXml.marshal(answer));

        assertThat(read.getResult()).usingRecursiveFieldByFieldElementComparator().containsExactly(applied, rejected);
        assertThatThrownBy(() -> TaxXml.unmarshalBatchResult(new byte[0]))
                .isInstanceOf(InvalidTaxDocumentException.class);
        assertThatThrownBy(() -> TaxXml.unmarshalBatchResult(TaxXml.marshal(
                translator.translate(fixtures.birth(), Map.of()).get(0))))
                .isInstanceOf(InvalidTaxDocumentException.class);
    }
}
