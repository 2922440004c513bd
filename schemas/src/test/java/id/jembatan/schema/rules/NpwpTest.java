package id.jembatan.schema.rules;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.fixtures.CitizenFixtures;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The legacy 15-digit NPWP: its two written forms, its Luhn check digit, and how it is shown in logs. */
class NpwpTest {

    /** Published examples of real-format numbers (python-stdnum's, OECD's TIN sheet for Indonesia). */
    @ParameterizedTest
    @ValueSource(strings = {"01.312.166.0-091.000", "013121660091000", "01.300.066.6-091.000", "016090524017000"})
    void wellFormedNumbersWithTheirCheckDigitPass(String npwp) {
        assertThat(Npwp.check(npwp, "/npwp")).isEmpty();
        assertThat(Npwp.normalise(npwp)).hasValueSatisfying(digits -> assertThat(digits).hasSize(15).containsOnlyDigits());
    }

    @Test
    void bothFormsNormaliseToTheSameDigitsAndFormatBack() {
        assertThat(Npwp.normalise("01.312.166.0-091.000")).hasValue("013121660091000");
        assertThat(Npwp.normalise("013121660091000")).hasValue("013121660091000");
        assertThat(Npwp.format("013121660091000")).isEqualTo("01.312.166.0-091.000");
    }

    /** Another ninth digit than the check digit of the first eight. Result: NPWP_INVALID_CHECK_DIGIT at the pointer. */
    @ParameterizedTest
    @ValueSource(strings = {"01.312.166.1-091.000", "013121669091000"})
    void aWrongCheckDigitIsRefused(String npwp) {
        assertThat(Npwp.check(npwp, "/npwp")).extracting(FieldError::code, FieldError::pointer)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ErrorCode.NPWP_INVALID_CHECK_DIGIT, "/npwp"));
    }

    /** Other lengths, other separators, mixed forms, letters, a NIK. Result: NPWP_INVALID_FORMAT. */
    @ParameterizedTest
    @ValueSource(strings = {"", "01.312.166.0-091", "01-312-166-0-091-000", "01.312.1660-091.000", "0131216600910000",
            "01312166009100", "O1.312.166.0-091.000", "3171014508990001", " 01.312.166.0-091.000", "01.312.166.0-091.000\n"})
    void anythingElseIsNotAnNpwp(String npwp) {
        assertThat(Npwp.check(npwp, "/npwp")).extracting(FieldError::code)
                .containsExactly(ErrorCode.NPWP_INVALID_FORMAT);
        assertThat(Npwp.normalise(npwp)).isEmpty();
    }

    @Test
    void nullIsNotAnNpwp() {
        assertThat(Npwp.check(null, "/npwp")).extracting(FieldError::code)
                .containsExactly(ErrorCode.NPWP_INVALID_FORMAT);
    }

    @Test
    void theCheckDigitIsMadeFromTheFirstEight() {
        assertThat(Npwp.checkDigit("01312166")).isZero();
        assertThat(Npwp.checkDigit("01300066")).isEqualTo(6);
    }

    @RepeatedTest(20)
    void theFixturesMakeValidNumbers() {
        String npwp = new CitizenFixtures().legacyNpwp();
        assertThat(npwp).matches("[0-9]{2}\\.[0-9]{3}\\.[0-9]{3}\\.[0-9]-[0-9]{3}\\.000");
        assertThat(Npwp.check(npwp, "/npwp")).isEmpty();
    }

    @Test
    void logsShowOnlyTheStartAndTheBranch() {
        assertThat(Npwp.mask("01.312.166.0-091.000")).isEqualTo("01.3**.***.*-***.000");
        assertThat(Npwp.mask("nonsense")).isEqualTo("***");
    }
}
