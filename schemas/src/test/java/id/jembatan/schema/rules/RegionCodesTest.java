package id.jembatan.schema.rules;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegionCodesTest {

    private static RegionCodes read(String csv) {
        return new RegionCodes(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theOfficialListHasEveryLevel() {
        RegionCodes codes = RegionCodes.official();

        assertThat(codes.count(1)).isEqualTo(38);
        assertThat(codes.count(2)).isEqualTo(514);
        assertThat(codes.count(3)).isEqualTo(7_285);
        assertThat(codes.count(4)).isEqualTo(83_762);
        assertThat(codes.size()).isEqualTo(91_599);
    }

    @Test
    void theOfficialListIsLoadedOnce() {
        assertThat(RegionCodes.official()).isSameAs(RegionCodes.official());
    }

    @Test
    void quotedNamesKeepTheirCommas() {
        RegionCodes codes = RegionCodes.official();

        assertThat(codes.name("1207281007")).contains("Lubuk Pakam I,II");
        assertThat(codes.name("1402092010")).contains("Lambang Sari I, II, III");
        assertThat(codes.level("1207281007")).isEqualTo(4);
    }

    @Test
    void aVillageNestsInItsDistrictRegencyAndProvince() {
        RegionCodes codes = RegionCodes.official();
        String gambir = "3171011001";

        assertThat(codes.name(gambir)).contains("Gambir");
        assertThat(codes.name(gambir.substring(0, 6))).contains("Gambir");
        assertThat(codes.name(gambir.substring(0, 4))).contains("Kota Administrasi Jakarta Pusat");
        assertThat(codes.name(gambir.substring(0, 2))).contains("Daerah Khusus Ibukota Jakarta");
        assertThat(codes.level(gambir)).isEqualTo(4);
        assertThat(codes.level("317101")).isEqualTo(3);
        assertThat(codes.level("3171")).isEqualTo(2);
        assertThat(codes.level("31")).isEqualTo(1);
    }

    @Test
    void childrenAreTheCodesOneLevelBelowInOrder() {
        RegionCodes codes = RegionCodes.official();

        assertThat(codes.children("")).hasSize(38).startsWith("11").contains("31", "96");
        assertThat(codes.children("31")).containsExactly("3101", "3171", "3172", "3173", "3174", "3175");
        assertThat(codes.children("317101")).contains("3171011001").allMatch(c -> c.length() == 10);
        assertThat(codes.children("3171011001")).isEmpty();
        assertThat(codes.children("99")).isEmpty();
        assertThat(codes.children(null)).isEmpty();
    }

    @Test
    void unknownCodesAreAbsent() {
        RegionCodes codes = RegionCodes.official();

        assertThat(codes.exists("910101")).as("Merauke before the 2022 split").isFalse();
        assertThat(codes.exists("3171011999")).isFalse();
        assertThat(codes.exists("31.71.01")).isFalse();
        assertThat(codes.exists("")).isFalse();
        assertThat(codes.exists(null)).isFalse();
        assertThat(codes.name("99")).isEmpty();
        assertThat(codes.name(null)).isEmpty();
        assertThat(codes.level("99")).isZero();
        assertThat(codes.level(null)).isZero();
    }

    @Test
    void readsRfc4180QuotingAndAnyLineEnd() {
        RegionCodes codes = read("\uFEFFcode,name,level\r\n"
                + "11,Aceh,1\r\n"
                + "1101,\"Kabupaten \"\"Aceh\"\" Selatan\",2\n"
                + "110101,\"Bakongan,\r\nTimur\",3\r\n"
                + "1101012001,Keude Bakongan,4");

        assertThat(codes.size()).isEqualTo(4);
        assertThat(codes.name("1101")).contains("Kabupaten \"Aceh\" Selatan");
        assertThat(codes.name("110101")).contains("Bakongan,\r\nTimur");
        assertThat(codes.name("1101012001")).contains("Keude Bakongan");
        assertThat(codes.count(3)).isEqualTo(1);
    }

    @Test
    void rejectsWhatIsNotARegionList() {
        assertThatThrownBy(() -> read("kode,nama,tingkat\r\n11,Aceh,1\r\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
        assertThatThrownBy(() -> read("code,name,level\r\n11,Aceh\r\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
        assertThatThrownBy(() -> read("code,name,level\r\n11,\"Aceh,1\r\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not closed");
        assertThatThrownBy(() -> read("code,name,level\r\n11,\"Aceh\"x,1\r\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closing quote");
        assertThatThrownBy(() -> read("code,name,level\r\n11,Aceh,2\r\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a level 2 code");
        assertThatThrownBy(() -> read("code,name,level\r\n11,Aceh,5\r\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("level must be 1 to 4");
        assertThatThrownBy(() -> read("code,name,level\r\n11,Aceh,1\r\n12,Sumut,1\r\n11,Aceh,1\r\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 4: duplicate code 11");
    }
}
