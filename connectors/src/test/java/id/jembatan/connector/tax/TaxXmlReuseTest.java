package id.jembatan.connector.tax;

import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.NameChanged;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.tax.v1.TaxpayerChange;
import id.jembatan.schema.tax.v1.TaxpayerRegistration;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static id.jembatan.connector.tax.TaxXmlTest.bytes;
import static id.jembatan.connector.tax.TaxXmlTest.change;
import static id.jembatan.connector.tax.TaxXmlTest.changeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TaxXml reuses its parsers, validators and (un)marshallers from one document to the next: a refused document
 * must leave nothing behind that changes how the next one is read, written or refused.
 */
class TaxXmlReuseTest {

    private static final CitizenFixtures FIXTURES = new CitizenFixtures();

    private final TaxTranslator translator = new TaxTranslator();

    @Test
    void oneThreadWritesValidThenInvalidThenValidAgain() {
        TaxpayerRegistration valid = registration();
        byte[] first = TaxXml.marshal(valid);

        String spouseTypo = FIXTURES.citizen().nik() + "7";
        Object badNik = translator.translate(FIXTURES.marriage(FIXTURES.citizen().nik(), spouseTypo,
                CitizenFixtures.today())).get(0);
        assertThatThrownBy(() -> TaxXml.marshal(badNik))
                .isInstanceOf(AgencyRejectedException.class)
                .hasMessageContaining(TaxXml.messageId(badNik))
                .hasMessageContaining(Nik.mask(spouseTypo));

        byte[] again = TaxXml.marshal(valid);
        assertThat(again).isEqualTo(first);

        // A second refusal reports its own problem, not the one before it.
        // An event id whose last group holds letters: a random one of 12 digits would read as an identifier and be
        // masked in the refusal (NikRedaction), which is right for the message but not what this checks.
        NameChanged generated = FIXTURES.nameChange(FIXTURES.citizen().nik(), "Siti\u0007Rahmawati");
        NameChanged renamed = new NameChanged(UUID.fromString("5f0c8e7a-3b1d-4c2e-9a6f-0d4b8c2e1f3a"),
                generated.occurredAt(), generated.nik(), generated.fullName());
        Object badName = translator.translate(renamed).get(0);
        assertThatThrownBy(() -> TaxXml.marshal(badName))
                .isInstanceOf(AgencyRejectedException.class)
                .hasMessageContaining(renamed.eventId().toString())
                .hasMessageContaining("Name")
                .hasMessageNotContaining(Nik.mask(spouseTypo));

        TaxpayerRegistration other = registration();
        assertThat(TaxXml.unmarshal(TaxXml.marshal(other))).usingRecursiveComparison().isEqualTo(other);
    }

    @Test
    void oneThreadReadsValidThenInvalidThenValidAgain() {
        TaxpayerRegistration written = registration();
        byte[] registration = TaxXml.marshal(written);
        assertThat(TaxXml.unmarshal(registration)).usingRecursiveComparison().isEqualTo(written);

        // Refused after the FullName was read into the half-built document: invalid, then cut off mid-way.
        String invalidLate = change("<FullName>Setengah Dibaca</FullName><FullName>Lagi</FullName>");
        assertThatThrownBy(() -> TaxXml.unmarshal(bytes(invalidLate)))
                .isInstanceOf(InvalidTaxDocumentException.class)
                .hasMessageContaining("FullName")
                .hasMessageContaining("line 1");
        String cutOff = change("<FullName>Setengah Dibaca</FullName>");
        String truncated = cutOff.substring(0, cutOff.indexOf("</FullName>"));
        assertThatThrownBy(() -> TaxXml.unmarshal(bytes(truncated)))
                .isInstanceOf(InvalidTaxDocumentException.class)
                .hasMessageNotContaining("FullName");

        String nik = FIXTURES.citizen().nik();
        TaxpayerChange read = (TaxpayerChange) TaxXml.unmarshal(bytes(changeOf(nik,
                "<NumberOfDependants>3</NumberOfDependants>")));
        assertThat(read.getNik()).isEqualTo(nik);
        assertThat(read.getNumberOfDependants()).isEqualTo(3);
        assertThat(read.getFullName()).isNull();
        assertThat(TaxXml.unmarshal(registration)).usingRecursiveComparison().isEqualTo(written);

        // A DOCTYPE is still refused after documents were read, and the next valid document still reads.
        assertThatThrownBy(() -> TaxXml.unmarshal(bytes("<?xml version=\"1.0\"?>\n<!DOCTYPE TaxpayerChange>\n"
                + change("<FullName>Siti</FullName>"))))
                .isInstanceOf(InvalidTaxDocumentException.class)
                .hasMessageContaining("DOCTYPE");
        assertThat(TaxXml.unmarshal(registration)).usingRecursiveComparison().isEqualTo(written);
    }

    @Test
    void threadsAtOnceEachGetTheirOwnDocumentAndTheirOwnRefusal() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                work.add(() -> {
                    for (int i = 0; i < 10; i++) {
                        TaxpayerRegistration written = registration();
                        assertThat(TaxXml.unmarshal(TaxXml.marshal(written)))
                                .usingRecursiveComparison().isEqualTo(written);
                        String tooLong = FIXTURES.citizen().nik() + "0";
                        assertThatThrownBy(() -> TaxXml.unmarshal(bytes(changeOf(tooLong,
                                "<FullName>Siti</FullName>"))))
                                .isInstanceOf(InvalidTaxDocumentException.class)
                                .hasMessageContaining(Nik.mask(tooLong));
                    }
                    return null;
                });
            }
            for (Future<Void> done : threads.invokeAll(work)) {
                done.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private TaxpayerRegistration registration() {
        BirthRegistered birth = FIXTURES.birth();
        return (TaxpayerRegistration) translator.translate(birth).get(0);
    }
}
