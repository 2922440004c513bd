package id.jembatan.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class QueryStringFilterTest {

    /** Queries as FHIR clients and agencies send them, raw or encoded. Result: they decode. */
    @ParameterizedTest
    @ValueSource(strings = {
        "purpose=TAXPAYER_REGISTRATION",
        "identifier=https://fhir.kemkes.go.id/id/nik|3171014508990001",
        "identifier=https%3A%2F%2Ffhir.kemkes.go.id%2Fid%2Fnik%7C3171014508990001",
        "name=Siti+Rahmawati&_count=5",
        "name=J%C3%BCrgen",
        "flag&empty=&=value",
        ""})
    void wellFormedQueriesDecode(String query) {
        assertThat(QueryStringFilter.decodes(query)).isTrue();
    }

    /**
     * A percent sign without two hex digits after it, at the end or in the middle of a name or value, and escapes
     * whose bytes are not UTF-8. Result: refused, where the container would drop the parameter silently.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "purpose=%zz",
        "purpose=TAX%",
        "purpose=TAX%4",
        "pur%g0pose=TAX",
        "identifier=https://fhir.kemkes.go.id/id/nik%7C3171014508990001%zz",
        "purpose=%C3%28",
        "purpose=%FF",
        "a=1&b=%E2%82"})
    void malformedQueriesDoNot(String query) {
        assertThat(QueryStringFilter.decodes(query)).isFalse();
    }
}
