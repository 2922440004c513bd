package id.jembatan.verification;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class FullNamesTest {

    @ParameterizedTest(name = "\"{0}\" is \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "Siti Rahmawati|Siti Rahmawati",
            "siti rahmawati|Siti Rahmawati",
            "SITI RAHMAWATI|Siti Rahmawati",
            "'  Siti    Rahmawati  '|Siti Rahmawati",
            // a tab, a no-break space and an ideographic space are white space too
            "'Siti\tRahmawati'|Siti Rahmawati",
            "Siti\u00a0Rahmawati|Siti Rahmawati",
            "Siti\u3000Rahmawati|Siti Rahmawati",
            // full-width letters (NFKC)
            "\uff33\uff49\uff54\uff49 Rahmawati|Siti Rahmawati",
            // a decomposed e with acute accent against the composed one
            "Rene\u0301 Siregar|Ren\u00e9 Siregar",
            "I Wayan Sudarsana|i wayan  SUDARSANA",
            "Stra\u00dfe|STRASSE"})
    void theSameNameWrittenAnotherWayMatches(String given, String registered) {
        assertThat(FullNames.same(given, registered)).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\" is not \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "Siti Rahmawat|Siti Rahmawati",
            "SitiRahmawati|Siti Rahmawati",
            "Siti Rahmawati Putri|Siti Rahmawati",
            "Rene Siregar|Ren\u00e9 Siregar",
            "Dewi Lestari|Siti Rahmawati"})
    void anotherNameDoesNotMatch(String given, String registered) {
        assertThat(FullNames.same(given, registered)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"'  siti \u00a0 RAHMAWATI '|siti rahmawati", "\uff21\uff22|ab"})
    void theComparableFormIsTrimmedCollapsedAndFolded(String name, String comparable) {
        assertThat(FullNames.comparable(name)).isEqualTo(comparable);
    }
}
