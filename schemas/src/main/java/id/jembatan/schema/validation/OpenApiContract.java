package id.jembatan.schema.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
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
    /** Where the published JSON Schemas are served, and how the document references them. */
    public static final String SCHEMAS_PATH = "/schemas/";
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
     * The document with every JSON Schema it references copied into {@code components/schemas} and every reference
     * made local: for tools that cannot follow references between files, such as OpenAPI Generator 7 (its parser
     * loses {@code $defs} inside a referenced file). Made from the same files each time, never edited by hand: a file
     * becomes the component named by its {@code title}, a shared definition the component named by its
     * {@code $defs} name with a capital letter.
     *
     * @throws IllegalStateException if two different schemas would get the same component name
     */
    public JsonNode bundled() {
        ObjectNode bundle = document.deepCopy();
        ObjectNode components = (ObjectNode) bundle.get("components").get("schemas");
        Bundler bundler = new Bundler(components);
        bundler.localize(bundle, null);
        components.setAll(bundler.added);
        return bundle;
    }

    /** Copies referenced schema files into the components, keyed by their absolute path and fragment. */
    private static final class Bundler {
        private final ObjectNode components;
        /** Kept apart while the document is walked, and added to the components at the end. */
        private final ObjectNode added = JsonNodeFactory.instance.objectNode();
        private final Map<String, String> names = new HashMap<>();
        private final Map<String, JsonNode> files = new HashMap<>();

        Bundler(ObjectNode components) {
            this.components = components;
        }

        /** Rewrites every {@code $ref} below {@code node} that leaves the document; {@code file} is where it is. */
        void localize(JsonNode node, URI file) {
            if (node instanceof ObjectNode object && object.path("$ref").isTextual()) {
                String ref = object.get("$ref").asText();
                if (file != null || ref.startsWith(SCHEMAS_PATH)) {
                    URI target = file == null ? URI.create(ref) : file.resolve(ref);
                    object.put("$ref", "#/components/schemas/" + component(target));
                }
            }
            node.forEach(child -> localize(child, file));
        }

        private String component(URI target) {
            String key = target.toString();
            String known = names.get(key);
            if (known != null) {
                return known;
            }
            URI file = URI.create(target.getPath());
            JsonNode root = files.computeIfAbsent(file.getPath(), Bundler::read);
            String fragment = target.getFragment() == null ? "" : target.getFragment();
            String name = fragment.isEmpty() ? root.path("title").asText()
                    : capitalized(fragment.substring(fragment.lastIndexOf('/') + 1));
            if (name.isEmpty() || components.has(name) || added.has(name)) {
                throw new IllegalStateException("cannot bundle " + key + ": component name '" + name
                        + "' is empty or taken");
            }
            if (!(root.at(fragment) instanceof ObjectNode schema)) {
                throw new IllegalStateException("cannot bundle " + key + ": no schema at " + fragment);
            }
            names.put(key, name);
            ObjectNode copy = schema.deepCopy();
            copy.remove(List.of("$schema", "$id", "$defs"));
            added.set(name, copy);
            localize(copy, file);
            return name;
        }

        private static JsonNode read(String path) {
            try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(path.substring(1))) {
                if (in == null) {
                    throw new IllegalStateException("the contract references " + path + ", which is not published");
                }
                return new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
        }

        private static String capitalized(String name) {
            return Character.toUpperCase(name.charAt(0)) + name.substring(1);
        }
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
