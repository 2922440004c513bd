package id.jembatan.deploy;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Renders the Helm chart's templates as {@code helm template} would, for the small part of Helm's template language
 * the chart keeps to (Helm itself cannot be installed on the build machines): {@code {{ .Values.a.b }}},
 * {@code .Release.Name}, {@code .Release.Namespace}, {@code .Chart.Name}, {@code .Chart.AppVersion}, the pipes
 * {@code | quote} and {@code toYaml <value> | nindent <n>}, and {@code {{-}}/{@code -}}} trimming. A template that
 * uses anything else fails the rendering: keep the templates that simple, or teach this class and say why.
 */
final class ChartTemplates {

    private static final Pattern ACTION = Pattern.compile("(\\s*)\\{\\{(-?)\\s*(.*?)\\s*(-?)}}(\\s*)", Pattern.DOTALL);
    private static final Pattern TO_YAML = Pattern.compile("toYaml (\\S+) \\| nindent (\\d+)");
    private static final Pattern VALUE = Pattern.compile("(\\.[A-Za-z][\\w.]*)( \\| quote)?");

    private final Path chart;
    private final Map<String, Object> chartYaml;
    private final Map<String, Object> values;

    /** The chart in {@code chart} with its {@code values.yaml}, overridden by {@code overrides} (dotted keys). */
    ChartTemplates(Path chart, Map<String, Object> overrides) {
        this.chart = chart;
        this.chartYaml = load(chart.resolve("Chart.yaml"));
        this.values = load(chart.resolve("values.yaml"));
        overrides.forEach(this::override);
    }

    /** Every template of the chart, rendered for a release named {@code release} in {@code namespace}. */
    Map<String, String> render(String release, String namespace) {
        Map<String, String> rendered = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(chart.resolve("templates"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                rendered.put(file.getFileName().toString(), render(Files.readString(file), release, namespace));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rendered;
    }

    private String render(String template, String release, String namespace) {
        Map<String, Object> root = Map.of(
                "Values", values,
                "Release", Map.of("Name", release, "Namespace", namespace),
                "Chart", Map.of("Name", chartYaml.get("name"), "AppVersion", chartYaml.get("appVersion")));
        Matcher m = ACTION.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String before = m.group(2).isEmpty() ? m.group(1) : "";
            String after = m.group(4).isEmpty() ? m.group(5) : "";
            m.appendReplacement(out, Matcher.quoteReplacement(before + evaluate(m.group(3), root) + after));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String evaluate(String action, Map<String, Object> root) {
        Matcher toYaml = TO_YAML.matcher(action);
        if (toYaml.matches()) {
            String indent = " ".repeat(Integer.parseInt(toYaml.group(2)));
            String yaml = dump(lookup(root, toYaml.group(1))).stripTrailing();
            return "\n" + indent + yaml.replace("\n", "\n" + indent);
        }
        Matcher value = VALUE.matcher(action);
        if (value.matches()) {
            Object found = lookup(root, value.group(1));
            String text = found == null ? "" : found.toString();
            return value.group(2) == null ? text : quote(text);
        }
        throw new IllegalArgumentException("the chart uses '{{ " + action + " }}', which is more than its templates "
                + "may use (see ChartTemplates)");
    }

    @SuppressWarnings("unchecked")
    private static Object lookup(Map<String, Object> root, String path) {
        Object current = root;
        for (String part : path.substring(1).split("\\.")) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(part)) {
                throw new IllegalArgumentException("the chart refers to " + path + ", which has no value");
            }
            current = ((Map<String, Object>) map).get(part);
        }
        return current;
    }

    /** Go's %q for the strings a chart holds (Helm's quote). */
    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String dump(Object value) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(value);
    }

    @SuppressWarnings("unchecked")
    private void override(String dottedKey, Object value) {
        List<String> parts = List.of(dottedKey.split("\\."));
        Map<String, Object> current = values;
        for (String part : parts.subList(0, parts.size() - 1)) {
            current = (Map<String, Object>) current.computeIfAbsent(part, k -> new LinkedHashMap<>());
        }
        current.put(parts.get(parts.size() - 1), value);
    }

    private static Map<String, Object> load(Path file) {
        try {
            return new Yaml().load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
