package id.jembatan.connector.tax;

import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.MarriageRegistered;
import id.jembatan.schema.model.NameChanged;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.tax.v1.TaxpayerChange;
import id.jembatan.schema.tax.v1.TaxpayerRegistration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Marshalling only valid documents, and parsing incoming ones with no DTD, entity or outside access at all. */
class TaxXmlTest {

    private static final CitizenFixtures FIXTURES = new CitizenFixtures();

    private final TaxTranslator translator = new TaxTranslator();

    @Test
    void registrationReadsBackAsItWasWritten() {
        BirthRegistered birth = FIXTURES.birth();
        TaxpayerRegistration written = (TaxpayerRegistration) translator.translate(birth).get(0);

        byte[] xml = TaxXml.marshal(written);
        TaxpayerRegistration read = (TaxpayerRegistration) TaxXml.unmarshal(xml);

        assertThat(new String(xml, StandardCharsets.UTF_8))
                .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"")
                .contains("<TaxpayerRegistration xmlns=\"" + TaxXml.NAMESPACE + "\">");
        assertThat(read).usingRecursiveComparison().isEqualTo(written);
    }

    @Test
    void timestampsAlwaysCarrySecondsAndTheirOffset() {
        OffsetDateTime onTheMinute = OffsetDateTime.of(2026, 11, 20, 8, 15, 0, 0, ZoneOffset.ofHours(7));

        assertThat(TaxXml.timestamp(onTheMinute).toXMLFormat()).isEqualTo("2026-11-20T08:15:00+07:00");
        assertThat(TaxXml.timestamp(onTheMinute.withOffsetSameInstant(ZoneOffset.UTC)).toXMLFormat())
                .isEqualTo("2026-11-20T01:15:00Z");
        assertThat(XmlTimestamps.offsetDateTime(TaxXml.timestamp(onTheMinute))).isEqualTo(onTheMinute);
        assertThat(TaxXml.date(LocalDate.of(2026, 2, 3)).toXMLFormat()).isEqualTo("2026-02-03");
    }

    @Test
    void ourOwnInvalidDocumentIsNeverWrittenAndTheReasonMasksTheNik() {
        String nik = FIXTURES.citizen().nik();
        String spouseTypo = FIXTURES.citizen().nik() + "7";
        MarriageRegistered marriage = FIXTURES.marriage(nik, spouseTypo, CitizenFixtures.today());
        Object document = translator.translate(marriage).get(0);

        assertThatThrownBy(() -> TaxXml.marshal(document))
                .isInstanceOf(AgencyRejectedException.class)
                .hasMessageContaining(marriage.eventId().toString())
                .hasMessageContaining("Nik")
                .hasMessageContaining(Nik.mask(spouseTypo))
                .hasMessageNotContaining(spouseTypo)
                .satisfies(e -> assertThat(((AgencyRejectedException) e).code())
                        .isEqualTo(ErrorCode.TRANSLATION_FAILED));
    }

    @Test
    void nameWithAControlCharacterIsNeverWritten() {
        NameChanged renamed = FIXTURES.nameChange(FIXTURES.citizen().nik(), "Siti\u0007Rahmawati");
        Object document = translator.translate(renamed).get(0);

        assertThatThrownBy(() -> TaxXml.marshal(document))
                .isInstanceOf(AgencyRejectedException.class)
                .hasMessageContaining("Name");
    }

    @Test
    void externalEntityIsRefusedBeforeAnythingIsRead(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "kata sandi rahasia");
        String xxe = "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE TaxpayerChange [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
                + change("<FullName>&xxe;</FullName>");

        assertThatThrownBy(() -> TaxXml.unmarshal(bytes(xxe)))
                .isInstanceOf(InvalidTaxDocumentException.class)
                .hasMessageContaining("DOCTYPE")
                .hasMessageNotContaining("kata sandi");
    }

    @Test
    void externalParameterEntityAndExternalDtdAreRefused(@TempDir Path dir) throws IOException {
        Path dtd = Files.writeString(dir.resolve("evil.dtd"), "<!ENTITY leak \"leaked\">");
        String parameterEntity = "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE TaxpayerChange [<!ENTITY % remote SYSTEM \"" + dtd.toUri() + "\"> %remote;]>\n"
                + change("<FullName>&leak;</FullName>");
        String externalDtd = "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE TaxpayerChange SYSTEM \"" + dtd.toUri() + "\">\n"
                + change("<FullName>&leak;</FullName>");

        assertThatThrownBy(() -> TaxXml.unmarshal(bytes(parameterEntity)))
                .isInstanceOf(InvalidTaxDocumentException.class).hasMessageContaining("DOCTYPE");
        assertThatThrownBy(() -> TaxXml.unmarshal(bytes(externalDtd)))
                .isInstanceOf(InvalidTaxDocumentException.class).hasMessageContaining("DOCTYPE");
    }

    @Test
    void billionLaughsIsRefusedAtOnce() {
        StringBuilder bomb = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE TaxpayerChange [\n")
                .append(" <!ENTITY lol0 \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            bomb.append(" <!ENTITY lol").append(i).append(" \"")
                    .append(("&lol" + (i - 1) + ";").repeat(10)).append("\">\n");
        }
        bomb.append("]>\n").append(change("<FullName>&lol9;</FullName>"));

        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertThatThrownBy(() -> TaxXml.unmarshal(bytes(bomb.toString())))
                        .isInstanceOf(InvalidTaxDocumentException.class)
                        .hasMessageContaining("DOCTYPE"));
    }

    @Test
    void xincludeIsNotFollowed(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "kata sandi rahasia");
        String xinclude = change("<FullName><xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\""
                + secret.toUri() + "\" parse=\"text\"/></FullName>");

        assertThatThrownBy(() -> TaxXml.unmarshal(bytes(xinclude)))
                .isInstanceOf(InvalidTaxDocumentException.class)
                .hasMessageNotContaining("kata sandi");
    }

    @Test
    void documentAgainstTheXsdIsRefusedWithAReasonThatMasksTheNik() {
        String tooLong = FIXTURES.citizen().nik() + "0";
        String invalid = "<TaxpayerChange xmlns=\"" + TaxXml.NAMESPACE + "\">"
                + "<MessageId>" + UUID.randomUUID() + "</MessageId>"
                + "<OccurredAt>2026-11-20T08:15:00+07:00</OccurredAt>"
                + "<Nik>" + tooLong + "</Nik><FullName>Siti Rahmawati</FullName></TaxpayerChange>";

        assertThatThrownBy(() -> TaxXml.unmarshal(bytes(invalid)))
                .isInstanceOf(InvalidTaxDocumentException.class)
                .hasMessageContaining("Nik")
                .hasMessageContaining("line 1")
                .hasMessageNotContaining(tooLong);
    }

    @Test
    void anythingButATaxDocumentIsRefused() {
        assertThatThrownBy(() -> TaxXml.unmarshal(bytes("{\"nik\": 1}")))
                .isInstanceOf(InvalidTaxDocumentException.class);
        assertThatThrownBy(() -> TaxXml.unmarshal(bytes("<TaxpayerChange/>")))
                .isInstanceOf(InvalidTaxDocumentException.class);
        assertThatThrownBy(() -> TaxXml.unmarshal(bytes("<Taxpayer xmlns=\"" + TaxXml.NAMESPACE + "\"/>")))
                .isInstanceOf(InvalidTaxDocumentException.class);
        assertThatThrownBy(() -> TaxXml.unmarshal(new byte[0]))
                .isInstanceOf(InvalidTaxDocumentException.class);
    }

    @Test
    void validIncomingChangeIsRead() {
        String nik = FIXTURES.citizen().nik();
        TaxpayerChange read = (TaxpayerChange) TaxXml.unmarshal(bytes(changeOf(nik, "<NumberOfDependants>3"
                + "</NumberOfDependants>")));

        assertThat(read.getNik()).isEqualTo(nik);
        assertThat(read.getNumberOfDependants()).isEqualTo(3);
    }

    /** A TaxpayerChange of a fresh fixture citizen with {@code content} as its choice. */
    static String change(String content) {
        return changeOf(FIXTURES.citizen().nik(), content);
    }

    static String changeOf(String nik, String content) {
        return "<TaxpayerChange xmlns=\"" + TaxXml.NAMESPACE + "\">"
                + "<MessageId>" + UUID.randomUUID() + "</MessageId>"
                + "<OccurredAt>2026-11-20T08:15:00+07:00</OccurredAt>"
                + "<Nik>" + nik + "</Nik>" + content + "</TaxpayerChange>";
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
