package id.jembatan.schema.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.rules.RegionCodes;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The published OpenAPI document against the code: its codes, its references and its examples. */
class OpenApiContractTest {

    /** After every example's dates, so that no example lies in the future. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T03:00:00Z"), ZoneOffset.UTC);

    private final OpenApiContract contract = OpenApiContract.v1();
    private final JsonNode document = contract.document();

    @Test
    void listsExactlyTheErrorCodesTheBusCanAnswerWith() {
        List<String> listed = new ArrayList<>();
        document.at("/components/schemas/ErrorCode/enum").forEach(code -> listed.add(code.asText()));

        assertThat(listed).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(ErrorCode.values()).map(ErrorCode::name).toList());
    }

    /**
     * Each code is named in the description of the problem response for its HTTP status, so that an agency reading
     * one call's 400 or 409 sees what it may get; the delivery codes only agencies' dead letters carry are named in
     * the ErrorCode schema.
     */
    @Test
    void namesEveryCodeUnderTheResponseOfItsStatus() {
        Map<Integer, String> descriptionsByStatus = new TreeMap<>();
        document.at("/paths").forEach(path -> path.forEach(operation -> operation.path("responses").fields()
                .forEachRemaining(response -> {
                    if (response.getKey().matches("[45][0-9][0-9]")) {
                        descriptionsByStatus.merge(Integer.parseInt(response.getKey()),
                                resolve(response.getValue()).path("description").asText(), String::concat);
                    }
                })));
        String deadLetterCodes = document.at("/components/schemas/ErrorCode/description").asText();

        List<String> unnamed = new ArrayList<>();
        for (ErrorCode code : ErrorCode.values()) {
            String described = descriptionsByStatus.getOrDefault(code.httpStatus(), "");
            if (!described.contains("`" + code.name() + "`")
                    && !(code.httpStatus() >= 500 && deadLetterCodes.contains("`" + code.name() + "`"))
                    && !isGenericAnswer(code)) {
                unnamed.add(code + " (" + code.httpStatus() + ")");
            }
        }
        assertThat(unnamed).as("codes no response of their status names").isEmpty();
    }

    /**
     * Answers to a path or method the document does not have, or the HTTP layer's to any call: described in
     * components, not per operation.
     */
    private boolean isGenericAnswer(ErrorCode code) {
        String name = switch (code) {
            case METHOD_NOT_ALLOWED -> "MethodNotAllowed";
            case NOT_ACCEPTABLE -> "NotAcceptable";
            case NOT_IMPLEMENTED -> "NotImplemented";
            case HTTP_VERSION_NOT_SUPPORTED -> "HttpVersionNotSupported";
            default -> null;
        };
        return name != null && document.at("/components/responses/" + name + "/description").asText()
                .contains("`" + code.name() + "`");
    }

    @Test
    void everyBodySchemaCompilesWithItsReferences() {
        List<String> pointers = new ArrayList<>();
        forEachMediaType((pointer, mediaType) -> pointers.add(pointer + "/schema"));

        assertThat(pointers).hasSizeGreaterThan(40);
        pointers.forEach(contract::schemaAt);
    }

    @Test
    void everyExampleMatchesItsSchema() {
        List<String> failures = new ArrayList<>();
        forEachMediaType((pointer, mediaType) -> {
            List<JsonNode> examples = new ArrayList<>();
            if (mediaType.has("example")) {
                examples.add(mediaType.get("example"));
            }
            mediaType.path("examples").forEach(e -> examples.add(e.get("value")));
            for (JsonNode example : examples) {
                for (Error error : contract.schemaAt(pointer + "/schema").validate(example)) {
                    failures.add(pointer + ": " + error);
                }
            }
        });
        assertThat(failures).isEmpty();
    }

    /**
     * The request examples are valid synthetic citizens: the bus's own validators accept each of them (a refusal
     * throws) and read it as what it shows: the birth and the name change of {@code POST /api/v1/events}, the
     * verification and the death report.
     */
    @Test
    void requestExamplesPassTheBusValidators() {
        EventValidator events = new EventValidator(RegionCodes.official(), CLOCK);
        RequestValidator requests = new RequestValidator(CLOCK);
        JsonNode paths = document.get("paths");

        JsonNode eventExamples = paths.at("/~1api~1v1~1events/post/requestBody/content/application~1json/examples");
        List<String> names = new ArrayList<>();
        eventExamples.fieldNames().forEachRemaining(names::add);
        assertThat(names).contains("birth", "nameChanged");
        for (String name : names) {
            JsonNode example = eventExamples.get(name).get("value");
            CitizenEvent event = events.validate(example);
            assertThat(event.eventId().toString()).as(name).isEqualTo(example.get("eventId").asText());
            assertThat(event.eventType().wireName()).as(name).isEqualTo(example.get("type").asText());
        }
        JsonNode verification = paths.at("/~1api~1v1~1citizens~1verify/post/requestBody/content/application~1json/example");
        assertThat(requests.verification(verification).nik()).isEqualTo(verification.get("nik").asText());
        JsonNode notification = paths.at("/~1api~1v1~1notifications/post/requestBody/content/application~1json/example");
        assertThat(requests.notification(notification).notificationId().toString())
                .isEqualTo(notification.get("notificationId").asText());
    }

    /**
     * The bundled document (for client generators) holds the same schemas with every reference inside it: every
     * example still matches, and a body the published schema refuses is refused by the bundled one too.
     */
    @Test
    void theBundledDocumentIsSelfContainedAndValidatesAlike() throws Exception {
        JsonNode bundled = contract.bundled();
        List<String> external = new ArrayList<>();
        collectRefs(bundled, external);
        assertThat(external).isNotEmpty().allSatisfy(ref -> assertThat(ref).startsWith("#/components/"));
        assertThat(bundled.at("/components/schemas")).hasSizeGreaterThan(document.at("/components/schemas").size());

        String iri = "https://jembatan.id/openapi/v1/bundled.json";
        String bundledText = new ObjectMapper().writeValueAsString(bundled);
        SchemaRegistry registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(), builder -> builder
                .schemas(Map.of(iri, bundledText))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        List<String> failures = new ArrayList<>();
        forEachMediaType((pointer, mediaType) -> {
            Schema schema = registry.getSchema(SchemaLocation.of(iri + "#" + pointer.replace("{", "%7B")
                    .replace("}", "%7D").replace("+", "%2B") + "/schema"));
            if (mediaType.has("example")) {
                schema.validate(mediaType.get("example")).forEach(e -> failures.add(pointer + ": " + e));
            }
            mediaType.path("examples").forEach(e -> schema.validate(e.get("value"))
                    .forEach(error -> failures.add(pointer + ": " + error)));
        });
        assertThat(failures).isEmpty();

        String events = "/paths/~1api~1v1~1events/post/requestBody/content/application~1json";
        ObjectNode tooLong = document.at(events + "/examples/birth/value").deepCopy();
        ((ObjectNode) tooLong.get("citizen")).put("nik", "3".repeat(40));
        assertThat(contract.schemaAt(events + "/schema").validate(tooLong)).isNotEmpty();
        assertThat(registry.getSchema(SchemaLocation.of(iri + "#" + events + "/schema")).validate(tooLong))
                .isNotEmpty();
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.path("$ref").isTextual()) {
            refs.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectRefs(child, refs));
    }

    /** Every media type object of a request or response, with its JSON Pointer in the document. */
    private void forEachMediaType(BiConsumer<String, JsonNode> action) {
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String base = "/paths/" + escape(path.getKey()) + "/" + op.getKey();
            op.getValue().path("requestBody").path("content").fields().forEachRemaining(media ->
                    action.accept(base + "/requestBody/content/" + escape(media.getKey()), media.getValue()));
            op.getValue().path("responses").fields().forEachRemaining(response -> {
                String at = response.getValue().has("$ref")
                        ? response.getValue().get("$ref").asText().substring(1)
                        : base + "/responses/" + response.getKey();
                resolve(response.getValue()).path("content").fields().forEachRemaining(media ->
                        action.accept(at + "/content/" + escape(media.getKey()), media.getValue()));
            });
        }));
    }

    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
