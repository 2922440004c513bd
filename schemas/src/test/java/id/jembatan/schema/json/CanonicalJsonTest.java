package id.jembatan.schema.json;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CanonicalJsonTest {

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("[".repeat(100), ErrorCode.JSON_LIMIT_EXCEEDED, "nests deeper than 16 levels"),
                Arguments.of("{\"a\": \"" + "x".repeat(20_000) + "\"}", ErrorCode.JSON_LIMIT_EXCEEDED,
                        "longer than 16384 characters"),
                Arguments.of("{\"a\": " + "9".repeat(100) + "}", ErrorCode.JSON_LIMIT_EXCEEDED,
                        "longer than 64 digits"),
                Arguments.of("{\"a\": ", ErrorCode.MALFORMED_JSON, "Body is not well-formed JSON"),
                Arguments.of("{\"a\" 1}", ErrorCode.MALFORMED_JSON, "at line 1, column"),
                Arguments.of("\u0000", ErrorCode.MALFORMED_JSON, "Body is not well-formed JSON"));
    }

    /**
     * Bodies past the limits or not well formed. Result: the code and a detail in our own words, which never names
     * the parser, its classes or its settings (it used to name {@code StreamReadConstraints}).
     */
    @ParameterizedTest
    @MethodSource("badBodies")
    void aBadBodyIsDescribedWithoutTheParsersWords(String body, ErrorCode code, String detail) {
        JembatanException e = catchThrowableOfType(
                () -> CanonicalJson.readBody(body.getBytes(StandardCharsets.UTF_8)), JembatanException.class);

        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).contains(detail)
                .doesNotContainIgnoringCase("StreamRead").doesNotContainIgnoringCase("jackson")
                .doesNotContain("`").doesNotContain("REDACTED").doesNotContain("Source");
    }
}
