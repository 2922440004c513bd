package id.jembatan.schema.rules;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FamilyCardTest {

    private static final String POINTER = "/citizen/familyCardNumber";

    private static List<ErrorCode> codes(String number) {
        return FamilyCard.check(number, POINTER).stream().map(FieldError::code).toList();
    }

    @Test
    void theDesignSampleIsValid() {
        // Gambir (317101), issued 01-01-09, serial 0001.
        assertThat(FamilyCard.check("3171010101090001", POINTER)).isEmpty();
        assertThat(FamilyCard.isValid("3171010101090001")).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"317101010109000", "31710101010900011"})
    void aWrongLengthIsKkInvalidLength(String number) {
        List<FieldError> errors = FamilyCard.check(number, POINTER);

        assertThat(errors).extracting(FieldError::code).containsExactly(ErrorCode.KK_INVALID_LENGTH);
        assertThat(errors.get(0).pointer()).isEqualTo(POINTER);
        assertThat(errors.get(0).message()).startsWith("Family card number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"31710101010900O1", "3171010101 90001", "317101010109000\u0663"})
    void anythingButAsciiDigitsIsKkInvalidCharacters(String number) {
        assertThat(codes(number)).containsExactly(ErrorCode.KK_INVALID_CHARACTERS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0071010101090001", "3100010101090001", "3171000101090001"})
    void impossibleRegionPrefixesAreKkInvalidRegion(String number) {
        assertThat(codes(number)).containsExactly(ErrorCode.KK_INVALID_REGION);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "3171014101090001", // day 41: the +40 rule is for women's NIKs, not for family cards
        "3171013202090001", // 32 February
        "3171012902090001", // 29 February 2009
        "3171013104090001", // 31 April
        "3171010100090001", // month 00
        "3171010113090001", // month 13
        "3171010001090001"  // day 00
    })
    void impossibleIssueDatesAreKkInvalidDate(String number) {
        assertThat(codes(number)).containsExactly(ErrorCode.KK_INVALID_DATE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3171013004090001", "3171013112090001", "3171010101000001"})
    void realIssueDatesAreValid(String number) {
        assertThat(codes(number)).isEmpty();
    }

    @Test
    void the29thOfFebruaryIsValidInALeapYy() {
        assertThat(codes("3171012902080001")).isEmpty();
        assertThat(codes("3171012902000001")).isEmpty();
    }

    @Test
    void serial0000IsKkInvalidSerial() {
        assertThat(codes("3171010101090000")).containsExactly(ErrorCode.KK_INVALID_SERIAL);
    }

    @Test
    void theRegionIsKnownOrNot() {
        assertThat(FamilyCard.hasKnownRegion("3171010101090001", RegionCodes.official())).isTrue();
        assertThat(FamilyCard.hasKnownRegion("9101010101090001", RegionCodes.official())).isFalse();
    }
}
