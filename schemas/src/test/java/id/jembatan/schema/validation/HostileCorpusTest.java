package id.jembatan.schema.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.fixtures.HostileEvents;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.NameChanged;
import id.jembatan.schema.rules.RegionCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The hostile corpus ({@link HostileEvents}) against the gate itself, {@link CanonicalJson#readBody} then
 * {@link EventValidator#validate}: each body is refused with its code at its pointer, and what must pass (the
 * longest texts, text in another normalisation form, a byte order mark) passes.
 */
class HostileCorpusTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T03:00:00Z"), ZoneOffset.UTC);
    private static final EventValidator VALIDATOR = new EventValidator(RegionCodes.official(), CLOCK);
    private static final CitizenFixtures FIXTURES = new CitizenFixtures(CLOCK);

    static List<HostileEvents.Case> corpus() {
        return new HostileEvents(FIXTURES).all();
    }

    private static CitizenEvent ingest(byte[] body) {
        return VALIDATOR.validate(CanonicalJson.readBody(body));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachHostileBodyIsRefusedWithItsCodeAtItsPointer(HostileEvents.Case hostile) {
        JembatanException refused = catchThrowableOfType(() -> ingest(hostile.body()), JembatanException.class);

        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.code()).as(refused.errors().toString()).isEqualTo(hostile.code());
        assertThat(refused.code().httpStatus()).isEqualTo(400);
        assertThat(refused.errors()).extracting(FieldError::code, FieldError::pointer)
                .contains(org.assertj.core.groups.Tuple.tuple(hostile.code(), hostile.pointer()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void noRefusalQuotesTheNameItRefuses(HostileEvents.Case hostile) {
        JembatanException refused = catchThrowableOfType(() -> ingest(hostile.body()), JembatanException.class);
        String fullName = hostile.text().replaceAll("(?s).*\"fullName\":\"([^\"]{6,})\".*", "$1");

        assertThat(refused.getMessage()).doesNotContain(fullName);
        assertThat(refused.errors()).extracting(FieldError::message).noneMatch(m -> m.contains(fullName));
    }

    /** Texts at their limits, in UTF-16 units with emoji, and in characters with letters: accepted unchanged. */
    @Test
    void theLongestTextsPassUnchanged() {
        HostileEvents corpus = new HostileEvents(FIXTURES);
        for (BirthRegistered longest : List.of(corpus.longestTexts(), corpus.longestLetters())) {
            CitizenEvent accepted = ingest(CanonicalJson.write(longest).getBytes(StandardCharsets.UTF_8));

            assertThat(accepted).isEqualTo(longest);
            assertThat(longest.citizen().fullName().length()).isEqualTo(100);
            assertThat(longest.citizen().address().street().length()).isEqualTo(200);
        }
    }

    /** The text limits the validator holds in UTF-16 units are the maxLength of the published schemas. */
    @Test
    void theTextLimitsAreTheSchemasMaxLength() throws Exception {
        JsonNode common = CanonicalJson.mapper().readTree(getClass().getResourceAsStream(
                "/schemas/v1/common.schema.json")).get("$defs");
        JsonNode report = CanonicalJson.mapper().readTree(getClass().getResourceAsStream(
                "/schemas/v1/notifications/death-reported.schema.json"));

        for (String name : List.of("fullName", "placeName", "placeNameOrNull", "regionNameOrNull",
                "occupationOrNull")) {
            assertThat(common.at("/" + name + "/maxLength").asInt()).as(name)
                    .isEqualTo(EventValidator.NAME_MAX_LENGTH);
        }
        assertThat(common.at("/address/properties/street/maxLength").asInt())
                .isEqualTo(EventValidator.STREET_MAX_LENGTH);
        assertThat(report.at("/properties/reference/maxLength").asInt())
                .isEqualTo(RequestValidator.REFERENCE_MAX_LENGTH);
    }

    /**
     * The same name in decomposed form (NFD: "e" + U+0301). Result: accepted, bound in composed form (NFC), and the
     * normalised body has the digest of the composed one: both are the same event.
     */
    @Test
    void textIsNormalisedToNfcBeforeItIsCheckedAndDigested() {
        Citizen c = FIXTURES.citizen();
        NameChanged composed = FIXTURES.nameChange(c.nik(), "Ren\u00e9 Andr\u00e9 Siregar");
        String decomposedName = Normalizer.normalize(composed.fullName(), Normalizer.Form.NFD);
        NameChanged decomposed = new NameChanged(composed.eventId(), composed.occurredAt(), c.nik(), decomposedName);
        JsonNode decomposedTree = CanonicalJson.readBody(CanonicalJson.write(decomposed)
                .getBytes(StandardCharsets.UTF_8));
        JsonNode composedTree = CanonicalJson.readBody(CanonicalJson.write(composed)
                .getBytes(StandardCharsets.UTF_8));

        assertThat(decomposedName).isNotEqualTo(composed.fullName());
        assertThat(VALIDATOR.validate(decomposedTree)).isEqualTo(composed);
        assertThat(CanonicalJson.digest(decomposedTree)).isEqualTo(CanonicalJson.digest(composedTree));
    }

    /** RFC 8259 lets a parser ignore a leading byte order mark: the bus does, as it always did. */
    @Test
    void aLeadingByteOrderMarkIsIgnored() {
        BirthRegistered birth = FIXTURES.birth();
        byte[] json = CanonicalJson.write(birth).getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);

        assertThat(ingest(withBom)).isEqualTo(birth);
    }

    /** Well-formed text outside the Basic Multilingual Plane and escaped surrogate pairs are fine. */
    @Test
    void pairedSurrogatesAndEscapedPairsPass() {
        BirthRegistered birth = FIXTURES.birth();
        ObjectNode body = (ObjectNode) CanonicalJson.readBody(CanonicalJson.write(birth)
                .getBytes(StandardCharsets.UTF_8));
        ((ObjectNode) body.get("citizen")).put("birthPlace", "QQ");
        String escaped = body.toString().replace("\"QQ\"", "\"Kota \\ud83c\\udf34 Hijau\"");

        CitizenEvent accepted = ingest(escaped.getBytes(StandardCharsets.UTF_8));

        assertThat(((BirthRegistered) accepted).citizen().birthPlace()).isEqualTo("Kota \uD83C\uDF34 Hijau");
    }

    /** A duplicate member is refused however deep it is, even with the same value twice. */
    @Test
    void aDuplicateMemberIsRefusedEvenWithTheSameValue() {
        BirthRegistered birth = FIXTURES.birth();
        String json = CanonicalJson.write(birth).replaceFirst("\"rt\":\"(\\d{3})\"", "\"rt\":\"$1\",\"rt\":\"$1\"");

        JembatanException refused = catchThrowableOfType(() -> ingest(json.getBytes(StandardCharsets.UTF_8)),
                JembatanException.class);

        assertThat(refused.code()).isEqualTo(ErrorCode.JSON_DUPLICATE_KEY);
        assertThat(refused.errors()).extracting(FieldError::pointer).containsExactly("/citizen/address/rt");
    }
}
