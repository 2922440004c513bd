package id.jembatan.schema.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The published OpenAPI 3.1 description of the v1 HTTP API, as the bus serves it and as the tests hold the bus to
 * it. Its request and response schemas reference the same JSON Schema files the validators use
 * ({@code /schemas/v1/...}, resolved here from the classpath), so there is one source of truth.
 *
 * <p>Immutable and thread-safe; {@link #v1()} is the one shared instance.
 */
public final class OpenApiContract {

    /** Where the published OpenAPI documents live as an IRI; the bus serves v1 at {@code /v3/api-docs}. */
    public static final String ID_PREFIX = "https://jembatan.id/openapi/";
    /** Where the documents behind {@link #ID_PREFIX} live on the classpath. */
    public static final String CLASSPATH_PREFIX = "classpath:openapi/";
    /** The v1 document on the classpath. */
    public static final String V1_RESOURCE = "openapi/v1/openapi.yaml";
    /** The v1 document's IRI: its {@code /schemas/v1/...} references resolve against it to the schema ids. */
    public static final String V1_ID = ID_PREFIX + "v1/openapi.yaml";

    private static final class Holder {
        static final OpenApiContract V1 = new OpenApiContract();
    }

    private final byte[] yaml;
    private final JsonNode document;
    private final SchemaRegistry registry = V1Schemas.registry(Dialects.getOpenApi31());
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private OpenApiContract() {
        try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(V1_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(V1_RESOURCE + " is missing from the classpath");
            }
            yaml = in.readAllBytes();
            document = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + V1_RESOURCE, e);
        }
    }

    /** The v1 contract, read once. */
    public static OpenApiContract v1() {
        return Holder.V1;
    }

    /** The document as written (YAML). */
    public byte[] yaml() {
        return yaml.clone();
    }

    /** The document as a tree: serve it as JSON, or read paths, responses and codes from it. */
    public JsonNode document() {
        return document.deepCopy();
    }

    /**
     * The compiled schema at {@code pointer} (a JSON Pointer into the document, e.g.
     * {@code /components/schemas/Problem}), with every {@code $ref} resolved: the document's own, and the
     * {@code /schemas/v1/...} files from the classpath.
     *
     * @throws IllegalStateException if nothing at {@code pointer} compiles as a schema
     */
    public Schema schemaAt(String pointer) {
        return schemas.computeIfAbsent(pointer, p -> V1Schemas.load(registry, V1_ID + "#" + fragment(p)));
    }

    /** A JSON Pointer as a URI fragment (RFC 6901 section 6): characters such as '{' are percent-encoded. */
    private static String fragment(String pointer) {
        StringBuilder out = new StringBuilder();
        for (String token : pointer.substring(1).split("/", -1)) {
            out.append('/').append(URLEncoder.encode(token, StandardCharsets.UTF_8).replace("+", "%20")
                    .replace("%7E", "~"));
        }
        return out.toString();
    }
}
