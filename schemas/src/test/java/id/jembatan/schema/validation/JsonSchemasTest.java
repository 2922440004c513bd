package id.jembatan.schema.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.EventType;
import id.jembatan.schema.model.MaritalStatus;
import id.jembatan.schema.model.Nationality;
import id.jembatan.schema.model.NotificationType;
import id.jembatan.schema.model.Religion;
import id.jembatan.schema.model.Sex;
import id.jembatan.schema.rules.RegionCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The published v1 schemas: where they are, what they are called, and that they agree with the Java model. */
class JsonSchemasTest {

    private static JsonNode resource(String path) {
        try (InputStream in = JsonSchemasTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return CanonicalJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void eachEventTypeHasASchemaWhoseIdIsItsPath(EventType type) {
        String path = "schemas/v1/events/" + type.schemaName() + ".schema.json";
        JsonNode schema = resource(path);

        assertThat(schema.path("$id").asText()).isEqualTo("https://jembatan.id/" + path)
                .isEqualTo(EventValidator.schemaId(type));
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("properties").path("type").path("const").asText()).isEqualTo(type.wireName());
        assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = EventType.class, mode = EnumSource.Mode.EXCLUDE, names = "CITIZEN_SNAPSHOT")
    void theExamplesOfEachSchemaPass(EventType type) {
        // The examples are dated November 2026.
        Clock after = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
        EventValidator validator = new EventValidator(RegionCodes.official(), after);
        JsonNode examples = resource("schemas/v1/events/" + type.schemaName() + ".schema.json").path("examples");

        assertThat(examples).isNotEmpty();
        examples.forEach(example -> assertThat(validator.validate(example).eventType()).isEqualTo(type));
    }

    /** A CitizenSnapshot is the bus's own, delivered by sync jobs: the civil registry cannot send one. */
    @Test
    void aSnapshotIsNotAnEventTheRegistryMaySend() {
        Clock after = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
        EventValidator validator = new EventValidator(RegionCodes.official(), after);
        JsonNode example = resource("schemas/v1/events/citizen-snapshot.schema.json").path("examples").get(0);

        assertThatThrownBy(() -> validator.validate(example))
                .isInstanceOfSatisfying(JembatanException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.EVENT_TYPE_UNKNOWN));
    }

    /** The sync request's examples pass, and a scope naming two kinds at once does not. */
    @Test
    void syncRequestsAreChecked() throws Exception {
        RequestValidator validator = new RequestValidator(Clock.systemUTC());
        resource("schemas/v1/requests/sync-request.schema.json").path("examples")
                .forEach(example -> assertThat(validator.sync(example).scope()).isNotNull());
        JsonNode both = new ObjectMapper()
                .readTree("{\"scope\": {\"all\": true, \"regionPrefix\": \"31\"}}");
        JsonNode badNik = new ObjectMapper()
                .readTree("{\"scope\": {\"niks\": [\"3171019999990001\"]}}");

        assertThatThrownBy(() -> validator.sync(both)).isInstanceOfSatisfying(JembatanException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION));
        assertThatThrownBy(() -> validator.sync(badNik)).isInstanceOf(JembatanException.class);
    }

    @ParameterizedTest
    @EnumSource(NotificationType.class)
    void eachNotificationTypeHasASchemaWhoseIdIsItsPathAndWhoseExamplesPass(NotificationType type) {
        String path = "schemas/v1/notifications/" + type.schemaName() + ".schema.json";
        JsonNode schema = resource(path);
        RequestValidator validator = new RequestValidator(
                Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));

        assertThat(schema.path("$id").asText()).isEqualTo("https://jembatan.id/" + path)
                .isEqualTo(RequestValidator.schemaId(type));
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("properties").path("type").path("const").asText()).isEqualTo(type.wireName());
        assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(schema.path("examples")).isNotEmpty();
        schema.path("examples").forEach(example ->
                assertThat(validator.notification(example).notificationType()).isEqualTo(type));
    }

    @Test
    void theVerifyRequestSchemaIdIsItsPathAndItsExamplesPass() {
        String path = "schemas/v1/requests/verify-request.schema.json";
        JsonNode schema = resource(path);
        RequestValidator validator = new RequestValidator(Clock.systemUTC());

        assertThat(schema.path("$id").asText()).isEqualTo("https://jembatan.id/" + path)
                .isEqualTo(RequestValidator.VERIFY_REQUEST_SCHEMA_ID);
        assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(schema.path("examples")).isNotEmpty();
        schema.path("examples").forEach(example ->
                assertThat(validator.verification(example).nik()).isEqualTo(example.path("nik").asText()));
    }

    @Test
    void theCommonSchemaIdIsItsPath() {
        assertThat(resource("schemas/v1/common.schema.json").path("$id").asText())
                .isEqualTo("https://jembatan.id/schemas/v1/common.schema.json");
    }

    @Test
    void enumsAreTheJavaEnumNames() {
        JsonNode defs = resource("schemas/v1/common.schema.json").path("$defs");

        assertThat(texts(defs.path("sex").path("enum"))).isEqualTo(names(Sex.values()));
        assertThat(texts(defs.path("religion").path("enum"))).isEqualTo(names(Religion.values()));
        assertThat(texts(defs.path("maritalStatus").path("enum"))).isEqualTo(names(MaritalStatus.values()));
        assertThat(texts(defs.path("nationality").path("enum"))).isEqualTo(names(Nationality.values()));
    }

    @Test
    void everyObjectForbidsAdditionalProperties() {
        JsonNode defs = resource("schemas/v1/common.schema.json").path("$defs");

        assertThat(defs.path("address").path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(defs.path("citizen").path("additionalProperties").asBoolean(true)).isFalse();
    }
}
