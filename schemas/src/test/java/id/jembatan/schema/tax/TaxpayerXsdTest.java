package id.jembatan.schema.tax;

import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.tax.v1.Address;
import id.jembatan.schema.tax.v1.ObjectFactory;
import id.jembatan.schema.tax.v1.TaxpayerChange;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URL;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules of taxpayer.xsd v1 itself, checked on documents built from the classes generated from it. */
class TaxpayerXsdTest {

    private static final CitizenFixtures FIXTURES = new CitizenFixtures();
    private static JAXBContext context;
    private static Schema schema;

    @BeforeAll
    static void compile() throws Exception {
        context = JAXBContext.newInstance(ObjectFactory.class);
        URL xsd = TaxpayerXsdTest.class.getResource("/schemas/tax/v1/taxpayer.xsd");
        SchemaFactory factory = SchemaFactory.newDefaultInstance();
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        try (InputStream in = xsd.openStream()) {
            schema = factory.newSchema(new StreamSource(in, xsd.toExternalForm()));
        }
    }

    @Test
    void generatedClassesAreInTheV1Namespace() throws Exception {
        StringWriter xml = new StringWriter();
        context.createMarshaller().marshal(change(c -> c.setFullName("Siti Rahmawati")), xml);

        assertThat(xml.toString()).contains("<TaxpayerChange xmlns=\"https://jembatan.id/schemas/tax/v1\">");
    }

    @Test
    void addressWithOnlyTheRegionCodesIsValid() {
        id.jembatan.schema.model.Address full = FIXTURES.address();
        Address codesOnly = new Address();
        codesOnly.setVillageCode(full.villageCode());
        codesOnly.setDistrictCode(full.districtCode());
        codesOnly.setRegencyCode(full.regencyCode());
        codesOnly.setProvinceCode(full.provinceCode());

        assertThatCode(() -> validate(change(c -> c.setAddress(codesOnly)))).doesNotThrowAnyException();
    }

    @Test
    void addressWithoutItsVillageCodeIsInvalid() {
        id.jembatan.schema.model.Address full = FIXTURES.address();
        Address noVillage = new Address();
        noVillage.setDistrictCode(full.districtCode());
        noVillage.setRegencyCode(full.regencyCode());
        noVillage.setProvinceCode(full.provinceCode());

        assertThatThrownBy(() -> validate(change(c -> c.setAddress(noVillage))))
                .isInstanceOf(SAXException.class).hasMessageContaining("VillageCode");
    }

    @Test
    void nameWithALineBreakIsInvalid() {
        assertThatThrownBy(() -> validate(change(c -> c.setFullName("Siti\nRahmawati"))))
                .isInstanceOf(SAXException.class).hasMessageContaining("Name");
    }

    @Test
    void timestampWithoutOffsetIsInvalid() {
        TaxpayerChange change = change(c -> c.setFullName("Siti Rahmawati"));
        change.setOccurredAt(DatatypeFactory.newDefaultInstance().newXMLGregorianCalendar("2026-11-20T08:15:00"));

        assertThatThrownBy(() -> validate(change)).isInstanceOf(SAXException.class)
                .hasMessageContaining("Timestamp");
    }

    @Test
    void dependantCountAbove99IsInvalid() {
        assertThatCode(() -> validate(change(c -> c.setNumberOfDependants(99)))).doesNotThrowAnyException();
        assertThatThrownBy(() -> validate(change(c -> c.setNumberOfDependants(100))))
                .isInstanceOf(SAXException.class);
    }

    @Test
    void nikOfFifteenDigitsIsInvalid() {
        TaxpayerChange change = change(c -> c.setFullName("Siti Rahmawati"));
        change.setNik(change.getNik().substring(1));

        assertThatThrownBy(() -> validate(change)).isInstanceOf(SAXException.class)
                .hasMessageContaining("Nik");
    }

    @Test
    void changeMustCarryExactlyOneChoice() {
        assertThatThrownBy(() -> validate(change(c -> { })))
                .isInstanceOf(SAXException.class);
        assertThatThrownBy(() -> validate(change(c -> {
            c.setFullName("Siti Rahmawati");
            c.setNumberOfDependants(1);
        }))).isInstanceOf(SAXException.class);
    }

    @Test
    void documentWrittenByTheGeneratedClassesReadsBack() throws Exception {
        TaxpayerChange change = change(c -> c.setNumberOfDependants(2));
        StringWriter xml = new StringWriter();
        Marshaller marshaller = context.createMarshaller();
        marshaller.setSchema(schema);
        marshaller.marshal(change, xml);

        TaxpayerChange read = (TaxpayerChange) context.createUnmarshaller()
                .unmarshal(new StreamSource(new StringReader(xml.toString())));

        assertThat(read.getNik()).isEqualTo(change.getNik());
        assertThat(read.getNumberOfDependants()).isEqualTo(2);
        assertThat(read.getOccurredAt()).isEqualTo(change.getOccurredAt());
    }

    private static TaxpayerChange change(Consumer<TaxpayerChange> what) {
        TaxpayerChange change = new TaxpayerChange();
        change.setMessageId(UUID.randomUUID().toString());
        change.setOccurredAt(DatatypeFactory.newDefaultInstance()
                .newXMLGregorianCalendar("2026-11-20T08:15:00+07:00"));
        change.setNik(FIXTURES.citizen().nik());
        what.accept(change);
        return change;
    }

    /** Writes the document without checks, then validates the text, as a receiver would. */
    private static void validate(Object document) throws JAXBException, SAXException, IOException {
        StringWriter xml = new StringWriter();
        context.createMarshaller().marshal(document, xml);
        schema.newValidator().validate(new StreamSource(new StringReader(xml.toString())));
    }
}
