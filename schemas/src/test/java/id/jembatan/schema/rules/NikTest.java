package id.jembatan.schema.rules;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.model.Sex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NikTest {

    private static final String POINTER = "/citizen/nik";

    /** Gambir, Jakarta Pusat (317101) + DDMMYY + serial. */
    private static String nik(String ddmmyy, String serial) {
        return "317101" + ddmmyy + serial;
    }

    private static List<ErrorCode> codes(String nik) {
        return Nik.check(nik, POINTER).stream().map(FieldError::code).toList();
    }

    @Test
    void aManBornOnThe15thOfAugust1999IsValid() {
        String nik = nik("150899", "0001");

        assertThat(Nik.check(nik, POINTER)).isEmpty();
        assertThat(Nik.parse(nik)).contains(new Nik.NikParts("31", "3171", "317101", 15, 8, 99, Sex.MALE, 1));
    }

    @Test
    void aWomansDayCarriesPlus40() {
        // The DESIGN.md sample: Siti Rahmawati, born 1999-08-05: 05 + 40 = 45.
        assertThat(Nik.check("3171014508990001", POINTER)).isEmpty();
        assertThat(Nik.parse("3171014508990001")).hasValueSatisfying(parts -> {
            assertThat(parts.sex()).isEqualTo(Sex.FEMALE);
            assertThat(parts.day()).isEqualTo(5);
            assertThat(parts.encodes(LocalDate.of(1999, 8, 5))).isTrue();
        });
    }

    @ParameterizedTest
    @CsvSource({"410190, 1, FEMALE", "710190, 31, FEMALE", "310190, 31, MALE", "010190, 1, MALE"})
    void womensDaysRunFrom41To71(String ddmmyy, int day, Sex sex) {
        assertThat(Nik.parse(nik(ddmmyy, "0001"))).hasValueSatisfying(parts -> {
            assertThat(parts.day()).isEqualTo(day);
            assertThat(parts.sex()).isEqualTo(sex);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"290296", "690296", "290200", "690200", "290204"})
    void the29thOfFebruaryIsValidInALeapYy(String ddmmyy) {
        assertThat(codes(nik(ddmmyy, "0001"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"290299", "690299", "290201", "290222"})
    void the29thOfFebruaryIsRejectedInANonLeapYy(String ddmmyy) {
        List<FieldError> errors = Nik.check(nik(ddmmyy, "0001"), POINTER);

        assertThat(errors).extracting(FieldError::code).containsExactly(ErrorCode.NIK_INVALID_DATE);
        assertThat(errors.get(0).message()).contains("29 February").contains("leap year");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "300299", // 30 February
        "700296", // 30 February, a woman
        "310499", // 31 April
        "710699", // 31 June, a woman
        "150099", // month 00
        "151399", // month 13
        "000199", // day 00
        "320199", // day 32
        "400199", // day 40: neither a man's nor a woman's day
        "720199", // day 72: 31 + 40 + 1
        "990199"
    })
    void impossibleDatesAreRejected(String ddmmyy) {
        assertThat(codes(nik(ddmmyy, "0001"))).containsExactly(ErrorCode.NIK_INVALID_DATE);
    }

    @Test
    void serial0000IsRejectedAnd9999Accepted() {
        assertThat(codes(nik("150899", "0000"))).containsExactly(ErrorCode.NIK_INVALID_SERIAL);
        assertThat(codes(nik("150899", "9999"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0071011508990001", "1071011508990001", "3100011508990001", "3171001508990001"})
    void impossibleRegionPrefixesAreRejected(String nik) {
        assertThat(codes(nik)).containsExactly(ErrorCode.NIK_INVALID_REGION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1101011508990001", "9999991508990001"})
    void provinces11To99AreStructurallyPossible(String nik) {
        assertThat(codes(nik)).isEmpty();
    }

    @Test
    void everyStructuralProblemIsReported() {
        List<FieldError> errors = Nik.check("0000003202990000", POINTER);

        assertThat(errors).extracting(FieldError::code).containsExactly(ErrorCode.NIK_INVALID_REGION,
                ErrorCode.NIK_INVALID_REGION, ErrorCode.NIK_INVALID_REGION, ErrorCode.NIK_INVALID_DATE,
                ErrorCode.NIK_INVALID_SERIAL);
        assertThat(errors).extracting(FieldError::pointer).containsOnly(POINTER);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"317101150899001", "31710115089900011", "3171"})
    void aWrongLengthIsNikInvalidLength(String nik) {
        List<FieldError> errors = Nik.check(nik, POINTER);

        assertThat(errors).extracting(FieldError::code).containsExactly(ErrorCode.NIK_INVALID_LENGTH);
        assertThat(errors.get(0).pointer()).isEqualTo(POINTER);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "31710115089900A1", // a letter
        "3171 11508990001", // a space
        "317101150899000\u0663", // Arabic-Indic digit three: a digit, but not an ASCII one
        "317101150899000\uff11", // full-width digit one
        "-171011508990001",
        "3171O11508990OO1" // capital O for zero
    })
    void anythingButAsciiDigitsIsNikInvalidCharacters(String nik) {
        assertThat(nik).hasSize(16);
        assertThat(codes(nik)).containsExactly(ErrorCode.NIK_INVALID_CHARACTERS);
    }

    @Test
    void aWrongLengthWithLettersReportsBoth() {
        assertThat(codes("31710A")).containsExactly(ErrorCode.NIK_INVALID_LENGTH, ErrorCode.NIK_INVALID_CHARACTERS);
    }

    @Test
    void lengthCountsCharactersNotUtf16Units() {
        String sixteenEmoji = "\uD83D\uDE00".repeat(16);

        assertThat(codes(sixteenEmoji)).containsExactly(ErrorCode.NIK_INVALID_CHARACTERS);
    }

    @Test
    void parseIsEmptyForAnInvalidNik() {
        assertThat(Nik.parse("3171013002990001")).isEmpty();
        assertThat(Nik.parse(null)).isEmpty();
        assertThat(Nik.isValid("3171013002990001")).isFalse();
        assertThat(Nik.isValid("3171013001990001")).isTrue();
    }

    @Test
    void aWomansNikOnAMansRecordIsASexMismatch() {
        List<FieldError> errors = Nik.checkAgainst("3171014508990001", POINTER, Sex.MALE, LocalDate.of(1999, 8, 5));

        assertThat(errors).extracting(FieldError::code).containsExactly(ErrorCode.NIK_SEX_MISMATCH);
        assertThat(errors.get(0).pointer()).isEqualTo(POINTER);
    }

    @Test
    void aMansNikOnAWomansRecordIsASexMismatch() {
        assertThat(Nik.checkAgainst("3171010508990001", POINTER, Sex.FEMALE, LocalDate.of(1999, 8, 5)))
                .extracting(FieldError::code).containsExactly(ErrorCode.NIK_SEX_MISMATCH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1999-08-06", "1999-09-05", "1998-08-05"})
    void anotherDayMonthOrYearIsABirthDateMismatch(String birthDate) {
        List<FieldError> errors = Nik.checkAgainst("3171014508990001", POINTER, Sex.FEMALE,
                LocalDate.parse(birthDate));

        assertThat(errors).extracting(FieldError::code).containsExactly(ErrorCode.NIK_BIRTH_DATE_MISMATCH);
        assertThat(errors.get(0).message()).contains("05-08-99").contains(birthDate);
    }

    @Test
    void sexAndBirthDateMismatchAreBothReported() {
        assertThat(Nik.checkAgainst("3171014508990001", POINTER, Sex.MALE, LocalDate.of(1990, 1, 1)))
                .extracting(FieldError::code)
                .containsExactly(ErrorCode.NIK_SEX_MISMATCH, ErrorCode.NIK_BIRTH_DATE_MISMATCH);
    }

    @Test
    void theCenturyIsNotEncoded() {
        assertThat(Nik.checkAgainst("3171012902000001", POINTER, Sex.MALE, LocalDate.of(2000, 2, 29))).isEmpty();
        assertThat(Nik.checkAgainst("3171011508990001", POINTER, Sex.MALE, LocalDate.of(1899, 8, 15))).isEmpty();
    }

    @Test
    void checkAgainstLeavesMalformedNiksToCheck() {
        assertThat(Nik.checkAgainst("31710145089900", POINTER, Sex.MALE, LocalDate.of(1999, 8, 5))).isEmpty();
        assertThat(Nik.checkAgainst(null, POINTER, Sex.MALE, LocalDate.of(1999, 8, 5))).isEmpty();
    }

    @Test
    void maskShowsOnlyTheFirstAndLastFourDigits() {
        assertThat(Nik.mask("3171014508990001")).isEqualTo("3171********0001");
        assertThat(Nik.mask("31710145089900019")).isEqualTo("3171********0019");
    }

    @Test
    void maskIsSafeForAnyInput() {
        assertThat(Nik.mask(null)).isEqualTo("null");
        assertThat(Nik.mask("")).isEmpty();
        assertThat(Nik.mask("317101450899000")).isEqualTo("*".repeat(15));
        assertThat(Nik.mask("31\n10145089900\r\u0663")).isEqualTo("31?1********00??");
    }

    @Test
    void aRetiredDistrictIsAnUnknownRegionButAValidNik() {
        RegionCodes codes = RegionCodes.official();
        // District Merauke was 910101 (Papua) until the 2022 split made it 930101 (Papua Selatan).
        String registeredInMeraukeBefore2022 = "9101011508990001";

        assertThat(Nik.check(registeredInMeraukeBefore2022, POINTER)).isEmpty();
        assertThat(Nik.hasKnownRegion(registeredInMeraukeBefore2022, codes)).isFalse();
        assertThat(Nik.hasKnownRegion("3171014508990001", codes)).isTrue();
        assertThat(Nik.hasKnownRegion("31710", codes)).isFalse();
        assertThat(Nik.hasKnownRegion(null, codes)).isFalse();
    }
}
