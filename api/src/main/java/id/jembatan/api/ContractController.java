package id.jembatan.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.validation.OpenApiContract;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The published contract, open to anyone (it holds no data): the OpenAPI document of the v1 API at
 * {@code /v3/api-docs} (JSON) and {@code /v3/api-docs.yaml} (and bundled into one file at
 * {@code /v3/api-docs/bundled}), and the JSON Schemas and agency XSDs it and the agencies
 * rely on under {@code /schemas/...}, at the paths their {@code https://jembatan.id/schemas/} ids name.
 *
 * <p>A JSON Schema is served with its {@code $id} set to the URL it is served at, so that the relative references
 * between the schemas resolve at this bus too, with nothing fetched from elsewhere; its content is unchanged.
 */
@RestController
public class ContractController {

    public static final MediaType YAML = MediaType.parseMediaType("application/yaml");
    public static final MediaType SCHEMA_JSON = MediaType.parseMediaType("application/schema+json");

    private static final String SCHEMAS_PATH = "/schemas/";
    private static final CacheControl CACHE = CacheControl.maxAge(Duration.ofHours(1)).cachePublic();

    private final ObjectMapper mapper;
    private final OpenApiContract contract = OpenApiContract.v1();
    private final JsonNode bundled = contract.bundled();
    /** Every published file by its path under {@code /schemas/}: only these are served, nothing else is looked up. */
    private final Map<String, byte[]> published;

    public ContractController(ObjectMapper mapper) {
        this.mapper = mapper;
        this.published = publishedFiles();
    }

    @GetMapping(path = "/v3/api-docs", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<JsonNode> openApiJson() {
        return ResponseEntity.ok().cacheControl(CACHE).body(contract.document());
    }

    /**
     * The same document with the schemas it references copied in ({@link OpenApiContract#bundled()}), for client
     * generators that cannot follow references between files.
     */
    @GetMapping(path = "/v3/api-docs/bundled", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<JsonNode> openApiBundled() {
        return ResponseEntity.ok().cacheControl(CACHE).body(bundled);
    }

    @GetMapping(path = "/v3/api-docs.yaml", produces = "application/yaml")
    public ResponseEntity<byte[]> openApiYaml() {
        return ResponseEntity.ok().cacheControl(CACHE).contentType(YAML).body(contract.yaml());
    }

    @GetMapping(SCHEMAS_PATH + "**")
    public ResponseEntity<byte[]> schema(HttpServletRequest request) throws IOException {
        String name = request.getRequestURI().substring(request.getContextPath().length() + SCHEMAS_PATH.length());
        byte[] content = published.get(name);
        if (content == null) {
            throw new JembatanException(ErrorCode.RESOURCE_NOT_FOUND, "no published schema " + SCHEMAS_PATH + name
                    + "; the schemas are " + String.join(", ", published.keySet()));
        }
        if (name.endsWith(".xsd")) {
            return ResponseEntity.ok().cacheControl(CACHE).contentType(MediaType.APPLICATION_XML).body(content);
        }
        ObjectNode schema = (ObjectNode) mapper.readTree(content);
        String base = ServletUriComponentsBuilder.fromCurrentContextPath().path(SCHEMAS_PATH).toUriString();
        schema.put("$id", base + name);
        return ResponseEntity.ok().cacheControl(CACHE).contentType(SCHEMA_JSON)
                .body(mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(schema));
    }

    private static Map<String, byte[]> publishedFiles() {
        Map<String, byte[]> files = new TreeMap<>();
        try {
            PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
            for (String pattern : new String[]{"**/*.schema.json", "**/*.xsd"}) {
                for (Resource resource : resolver.getResources("classpath*:" + SCHEMAS_PATH.substring(1) + pattern)) {
                    String url = resource.getURL().toString();
                    try (InputStream in = resource.getInputStream()) {
                        files.put(url.substring(url.lastIndexOf(SCHEMAS_PATH) + SCHEMAS_PATH.length()),
                                in.readAllBytes());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the published schemas", e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no published schemas on the classpath under " + SCHEMAS_PATH);
        }
        return Collections.unmodifiableMap(files);
    }
}
