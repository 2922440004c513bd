package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import id.jembatan.schema.validation.OpenApiContract;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agency developer who has never seen the code reads the contract on the running bus and follows it: the OpenAPI
 * document, the API page and the schemas are open to anyone, the document resolves completely from the bus, and its
 * own request examples, sent as they are, get exactly its documented example answers. (Every answer on the v1 API,
 * here and in every other IT, is also held to the document by {@link BusTestSupport}.)
 */
class ContractIT extends BusTestSupport {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonNode document = OpenApiContract.v1().document();

    /**
     * Anyone fetches the OpenAPI document, as JSON and as YAML, and bundled for client generators, without a key.
     * Result: 200, OpenAPI 3.1, the published document itself in both forms; the bundle references nothing outside
     * itself.
     */
    @Test
    void theOpenApiDocumentIsOpenToAnyoneAsJsonAndYaml() throws IOException {
        HttpResponse<String> json = get("/v3/api-docs", null);
        HttpResponse<String> yaml = get("/v3/api-docs.yaml", null);

        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        assertThat(read(json).get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(read(json)).isEqualTo(document);
        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/yaml"));
        assertThat(YAML.readTree(yaml.body())).isEqualTo(document);

        HttpResponse<String> bundled = get("/v3/api-docs/bundled", null);
        assertThat(bundled.statusCode()).isEqualTo(200);
        assertThat(read(bundled)).isEqualTo(OpenApiContract.v1().bundled());
        assertThat(bundled.body()).doesNotContain("\"$ref\":\"/schemas/");
    }

    /**
     * A browser opens the API page. Result: Swagger UI from the bus itself, opened on /v3/api-docs, with no script
     * or style sheet from anywhere else (it works offline) and no call to an online validator.
     */
    @Test
    void theApiPageIsServedByTheBusWithNothingFromElsewhere() {
        HttpResponse<String> redirect = get("/swagger-ui", null);
        HttpResponse<String> page = get("/swagger-ui/index.html", null);
        HttpResponse<String> initializer = get("/swagger-ui/swagger-initializer.js", null);

        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l)
                .endsWith("/swagger-ui/index.html"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui-bundle.js").doesNotContainPattern("(src|href)=\"(https?:)?//");
        assertThat(initializer.body()).contains("v3/api-docs").contains("validatorUrl: null")
                .doesNotContain("petstore");
        for (String asset : new String[]{"swagger-ui-bundle.js", "swagger-ui-standalone-preset.js",
                "swagger-ui.css"}) {
            assertThat(get("/swagger-ui/" + asset, null).statusCode()).as(asset).isEqualTo(200);
        }
    }

    /**
     * Anyone fetches a JSON Schema and the tax XSD at the paths their ids name. Result: the published files, the JSON
     * Schema with its $id at this bus; an unknown path is 404 RESOURCE_NOT_FOUND, one escaping the folder is refused;
     * writing is refused.
     */
    @Test
    void theSchemasAreOpenToAnyoneAtStablePaths() throws IOException {
        HttpResponse<String> schema = get("/schemas/v1/events/birth-registered.schema.json", null);
        HttpResponse<String> xsd = get("/schemas/tax/v1/taxpayer.xsd", null);

        assertThat(schema.statusCode()).isEqualTo(200);
        assertThat(schema.headers().firstValue("Content-Type")).hasValue("application/schema+json");
        JsonNode published = classpathJson("schemas/v1/events/birth-registered.schema.json");
        JsonNode served = read(schema);
        assertThat(served.get("$id").asText())
                .isEqualTo(base() + "/schemas/v1/events/birth-registered.schema.json");
        ((ObjectNode) served).set("$id", published.get("$id"));
        assertThat(served).isEqualTo(published);

        assertThat(xsd.statusCode()).isEqualTo(200);
        assertThat(xsd.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/xml"));
        assertThat(xsd.body()).isEqualTo(classpathText("schemas/tax/v1/taxpayer.xsd"));

        for (String missing : new String[]{"/schemas/v1/events/unknown.schema.json",
                "/schemas/v1/%2e%2e/%2e%2e/application.yaml"}) {
            HttpResponse<String> answer = get(missing, null);
            assertThat(answer.statusCode()).as(missing).isBetween(400, 499);
            assertThat(answer.body()).as(missing).doesNotContain("spring:");
        }
        assertThat(read(get("/schemas/v1/events/unknown.schema.json", null)).get("code").asText())
                .isEqualTo("RESOURCE_NOT_FOUND");
        assertThat(postJson("/v3/api-docs", null, "{}").statusCode()).isEqualTo(401);
    }

    /**
     * A client generator or validator loads the document from the bus and follows every reference. Result: every
     * request and response schema compiles with nothing fetched from anywhere but this bus (the schemas' $ids point
     * here too).
     */
    @Test
    void theServedDocumentResolvesCompletelyFromTheBus() {
        String base = base() + "/";
        SchemaRegistry registry = SchemaRegistry.withDialects(
                List.of(Dialects.getOpenApi31(), Dialects.getDraft202012()), builder -> builder
                        .defaultDialectId(Dialects.getOpenApi31().getId())
                        .schemaLoader(loader -> loader.fetchRemoteResources(true)
                                .allow(iri -> iri.toString().startsWith(base)
                                        || iri.toString().startsWith("https://json-schema.org/")
                                        || iri.toString().startsWith("https://spec.openapis.org/"))));
        List<String> pointers = new ArrayList<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String at = "/paths/" + path.getKey().replace("/", "~1").replace("{", "%7B").replace("}", "%7D")
                    + "/" + op.getKey();
            op.getValue().path("requestBody").path("content").fieldNames().forEachRemaining(media ->
                    pointers.add(at + "/requestBody/content/" + media.replace("/", "~1") + "/schema"));
        }));
        document.get("components").get("schemas").fieldNames().forEachRemaining(name ->
                pointers.add("/components/schemas/" + name));

        // events, verify, notifications (JSON and the tax office's XML), complaints and their status changes, the
        // taxpayer-status service, suspend, syncs, and the FHIR death report (JSON and XML)
        assertThat(pointers).filteredOn(p -> p.contains("/requestBody/")).hasSize(11);
        for (String pointer : pointers) {
            registry.getSchema(SchemaLocation.of(base + "v3/api-docs#" + pointer)).initializeValidators();
        }
    }

    /**
     * The quick start: the civil registry sends the document's example birth, the tax office looks the citizen up
     * for its example purpose, an agency verifies the example identity, a hospital reports the example death.
     * Result: each answer is exactly the document's example answer.
     */
    @Test
    void theDocumentsOwnExamplesGetItsDocumentedAnswers() {
        JsonNode paths = document.get("paths");
        JsonNode events = paths.get("/api/v1/events").get("post");
        JsonNode lookup = paths.get("/api/v1/citizens/{nik}").get("get");
        JsonNode verify = paths.get("/api/v1/citizens/verify").get("post");
        JsonNode notify = paths.get("/api/v1/notifications").get("post");

        JsonNode birth = events.at("/requestBody/content/application~1json/examples/birth/value");
        HttpResponse<String> accepted = postJson("/api/v1/events", CIVIL_REGISTRY_KEY, birth.toString());
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(read(accepted)).isEqualTo(events.at("/responses/202/content/application~1json/example"));
        HttpResponse<String> duplicate = postJson("/api/v1/events", CIVIL_REGISTRY_KEY, birth.toString());
        assertThat(duplicate.statusCode()).isEqualTo(200);
        assertThat(read(duplicate)).isEqualTo(events.at("/responses/200/content/application~1json/example"));

        String nik = document.at("/components/parameters/Nik/example").asText();
        String purpose = lookup.at("/parameters/1/example").asText();
        HttpResponse<String> found = get("/api/v1/citizens/" + nik + "?purpose=" + purpose, TAX_KEY);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(read(found)).isEqualTo(lookup.at("/responses/200/content/application~1json/example"));

        HttpResponse<String> verified = postJson("/api/v1/citizens/verify", LICENSING_KEY,
                verify.at("/requestBody/content/application~1json/example").toString());
        assertThat(verified.statusCode()).isEqualTo(200);
        assertThat(read(verified)).isEqualTo(verify.at("/responses/200/content/application~1json/example"));

        HttpResponse<String> routed = postJson("/api/v1/notifications", HEALTH_KEY,
                notify.at("/requestBody/content/application~1json/example").toString());
        assertThat(routed.statusCode()).isEqualTo(202);
        assertThat(read(routed)).isEqualTo(notify.at("/responses/202/content/application~1json/example"));
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private static JsonNode classpathJson(String resource) throws IOException {
        return new ObjectMapper().readTree(classpathText(resource));
    }

    private static String classpathText(String resource) throws IOException {
        try (InputStream in = ContractIT.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
