package id.jembatan.api;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.http.ProblemDetail;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemLanguageTest {

    private final ProblemLanguage language = new ProblemLanguage();

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeHasAnIndonesianTitleAndDetail(ErrorCode code) {
        String title = language.text(code, "title", null, ProblemLanguage.INDONESIAN);
        String detail = language.text(code, "detail", null, ProblemLanguage.INDONESIAN);

        assertThat(title).isNotBlank().isNotEqualTo(code.title());
        assertThat(detail).isNotBlank();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL|en", "''|en", "id|id", "id-ID|id", "en-US|en", "fr|en", "fr, id;q=0.5|id",
            "en;q=0.4, id;q=0.8|id", "id;q=0.2, en|en", "*|en", "id;q=nonsense|en", ";;;|en"})
    void theCallersPreferredSupportedLanguageIsChosen(String acceptLanguage, String expected) {
        assertThat(ProblemLanguage.chosen(acceptLanguage).getLanguage()).isEqualTo(expected);
    }

    @Test
    void inIndonesianTheWordsChangeButNotTheCodeStatusTypeOrPointers() {
        List<FieldError> errors = List.of(new FieldError(ErrorCode.NIK_INVALID_DATE, "/citizen/nik",
                "NIK 3171019999990001 does not encode a valid birth date"));

        ProblemDetail english = language.problem(Locale.ENGLISH, ErrorCode.NIK_INVALID_DATE, "english detail", errors);
        ProblemDetail indonesian = language.problem(ProblemLanguage.INDONESIAN, ErrorCode.NIK_INVALID_DATE,
                "english detail", errors);

        assertThat(english.getTitle()).isEqualTo(ErrorCode.NIK_INVALID_DATE.title());
        assertThat(english.getDetail()).isEqualTo("english detail");
        assertThat(indonesian.getTitle()).isEqualTo("NIK tidak memuat tanggal lahir yang sah");
        assertThat(indonesian.getDetail()).startsWith("Digit 7 sampai 12 NIK");
        assertThat(indonesian.getStatus()).isEqualTo(english.getStatus());
        assertThat(indonesian.getType()).isEqualTo(english.getType());
        assertThat(indonesian.getProperties()).containsEntry("code", "NIK_INVALID_DATE");
        @SuppressWarnings("unchecked")
        List<Map<String, String>> translated = (List<Map<String, String>>) indonesian.getProperties().get("errors");
        assertThat(translated).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("pointer", "/citizen/nik").containsEntry("code", "NIK_INVALID_DATE");
            assertThat(e.get("message")).startsWith("Digit 7 sampai 12 NIK");
        });
    }
}
