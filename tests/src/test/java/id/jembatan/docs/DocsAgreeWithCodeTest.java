package id.jembatan.docs;

import id.jembatan.agency.AgencySettings;
import id.jembatan.bus.BrokerSettings;
import id.jembatan.connector.HttpDeliverySettings;
import id.jembatan.connector.jms.JmsConnectorFactory;
import id.jembatan.sandbox.SandboxSettings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.io.ClassPathResource;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the README and the guides say about settings, queues and agencies is what the code and the shipped
 * configuration do: a newcomer follows the documents, so a document that disagrees with the code is a bug.
 */
class DocsAgreeWithCodeTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path GUIDE = Path.of("..", "docs", "adding-an-agency.md");
    private static final Path QUICK_START = Path.of("..", "docs", "agencies.md");
    private static final Path DEPLOYMENT = Path.of("..", "docs", "deployment.md");
    private static final Path OPERATIONS = Path.of("..", "docs", "operations.md");
    private static final Path ARCHITECTURE = Path.of("..", "docs", "architecture.md");
    /** A table row whose first cell is a folder: {@code | `schemas/` | ...}. */
    private static final Pattern FOLDER_ROW = Pattern.compile("^\\| `([^`]+)/` \\|", Pattern.MULTILINE);

    /** The shipped configuration with the demo profile, as the bus reads it ({@code key -> value}). */
    private static Properties demoConfiguration() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yaml"), new ClassPathResource("application-demo.yaml"));
        return yaml.getObject();
    }

    /**
     * The README's table of ports and addresses. Result: it lists the HTTP port, the broker's host, port and URL and
     * every sandbox port the settings have, each with the default of the shipped configuration and of the code.
     */
    @Test
    void thePortsTableListsEveryPortSettingWithItsDefault() throws IOException {
        Map<String, String> table = new LinkedHashMap<>();
        Matcher row = Pattern.compile("^\\| [^|]+ \\| `([a-z.<>-]+)`[^|]* \\| (.+) \\|$", Pattern.MULTILINE)
                .matcher(section(read(README), "### Ports and addresses"));
        while (row.find()) {
            table.put(row.group(1), row.group(2));
        }
        Properties configuration = demoConfiguration();
        BrokerSettings code = defaults(BrokerSettings.class);

        Set<String> expected = new TreeSet<>(List.of("server.port", "server.address", "jembatan.broker.host",
                "jembatan.broker.port", "jembatan.broker.url", "jembatan.agencies.<id>.url"));
        settingsOf(SandboxSettings.class).stream().filter(s -> s.endsWith("-port"))
                .forEach(s -> expected.add("jembatan.sandbox." + s));
        assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(expected);

        assertThat(table.get("server.port")).isEqualTo("`" + configuration.getProperty("server.port") + "`");
        assertThat(table.get("jembatan.broker.host")).isEqualTo("`" + code.host() + "`")
                .isEqualTo("`" + configuration.getProperty("jembatan.broker.host") + "`");
        assertThat(table.get("jembatan.broker.port")).isEqualTo("`" + code.port() + "`")
                .isEqualTo("`" + configuration.getProperty("jembatan.broker.port") + "`");
        SandboxSettings sandbox = defaults(SandboxSettings.class);
        Map<String, Integer> sandboxDefaults = Map.of("tax-port", sandbox.taxPort(), "health-port",
                sandbox.healthPort(), "civil-registry-port", sandbox.civilRegistryPort(), "webhook-port",
                sandbox.webhookPort());
        sandboxDefaults.forEach((setting, port) -> assertThat(table.get("jembatan.sandbox." + setting)).as(setting)
                .isEqualTo("`" + port + "`")
                .isEqualTo("`" + configuration.getProperty("jembatan.sandbox." + setting) + "`"));
        assertThat(read(README)).contains("--jembatan.agencies.bansos.url=http://127.0.0.1:9000/bansos/events");
    }

    /**
     * The delivery defaults (batch size and linger among them) in the guide's commented YAML, the README and the
     * deployment guide. Result: each is the default of {@link AgencySettings.Delivery} or, for the timeout, of {@link HttpDeliverySettings} (the consumers
     * were documented as 2 in one place, 4 in others).
     */
    @Test
    void theDocumentedDeliveryDefaultsAreTheCodes() throws IOException {
        AgencySettings.Delivery defaults = defaults(AgencySettings.Delivery.class);
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher line = Pattern.compile("^ +# {3}([a-z-]+): (\\S+)", Pattern.MULTILINE).matcher(read(GUIDE));
        while (line.find()) {
            documented.put(line.group(1), line.group(2));
        }
        assertThat(documented).containsOnlyKeys("consumers", "batch-size", "linger", "maximum-redeliveries",
                "redelivery-delay", "maximum-redelivery-delay", "timeout");
        assertThat(Integer.parseInt(documented.get("consumers"))).isEqualTo(defaults.consumers());
        assertThat(Integer.parseInt(documented.get("batch-size"))).isEqualTo(defaults.batchSize());
        assertThat(DurationStyle.detectAndParse(documented.get("linger"))).isEqualTo(defaults.linger());
        assertThat(Integer.parseInt(documented.get("maximum-redeliveries")))
                .isEqualTo(defaults.maximumRedeliveries());
        assertThat(DurationStyle.detectAndParse(documented.get("redelivery-delay")))
                .isEqualTo(defaults.redeliveryDelay());
        assertThat(DurationStyle.detectAndParse(documented.get("maximum-redelivery-delay")))
                .isEqualTo(defaults.maximumRedeliveryDelay());
        assertThat(DurationStyle.detectAndParse(documented.get("timeout")))
                .isEqualTo(defaults(HttpDeliverySettings.class).timeout());

        String readme = read(README).replaceAll("\\s+", " ");
        assertThat(readme).contains("`consumers` (parallel consumers, default " + defaults.consumers() + ")",
                "handed to the agency together, default " + defaults.batchSize() + ";",
                "after its first event, default " + defaults.linger().toMillis() + "ms;",
                "refused event, default " + defaults.maximumRedeliveries() + ")");
        assertThat(read(DEPLOYMENT).replaceAll("\\s+", " "))
                .contains("delivery.consumers` per instance, " + defaults.consumers() + " by default");
        assertThat(read(OPERATIONS).replaceAll("\\s+", " "))
                .contains("retried `delivery.maximum-redeliveries` times (" + defaults.maximumRedeliveries() + ")");
    }

    /**
     * The agency ids and demo keys of the quick start. Result: exactly the agencies of the shipped configuration
     * (bansos was missing), and a demo key for each agency the demo profile gives keys to.
     */
    @Test
    void theQuickStartListsTheConfiguredAgencies() throws IOException {
        Properties configuration = demoConfiguration();
        Set<String> configured = new TreeSet<>();
        configuration.stringPropertyNames().stream().filter(k -> k.startsWith("jembatan.agencies."))
                .forEach(k -> configured.add(k.split("\\.")[2]));
        Set<String> withDemoKeys = new TreeSet<>();
        configuration.stringPropertyNames().stream()
                .filter(k -> k.startsWith("jembatan.agencies.") && k.contains(".api-keys"))
                .forEach(k -> withDemoKeys.add(k.split("\\.")[2]));

        String quickStart = read(QUICK_START).replaceAll("\\s+", " ");
        Matcher ids = Pattern.compile("Agency ids are ([^.]+)\\.").matcher(quickStart);
        assertThat(ids.find()).isTrue();
        assertThat(backticked(ids.group(1))).containsExactlyInAnyOrderElementsOf(configured);
        Matcher keys = Pattern.compile("has the keys ([^;]+);").matcher(quickStart);
        assertThat(keys.find()).isTrue();
        assertThat(backticked(keys.group(1)))
                .containsExactlyInAnyOrderElementsOf(withDemoKeys.stream().map(id -> "demo-" + id + "-key").toList());
    }

    /**
     * Where the documents name the queue a {@code jms} agency reads. Result: the name the code gives it
     * ({@code agency.<id>.events}), never the bus's own fan-out queue {@code citizen.events::<agency>}.
     */
    @Test
    void theQueueAJmsAgencyReadsIsNamedAsTheCodeNamesIt() throws IOException {
        assertThat(JmsConnectorFactory.queue("pensions")).isEqualTo("agency.pensions.events");
        Pattern ownQueue = Pattern.compile("`agency\\.<[a-z ]+>\\.events`");
        for (Path page : List.of(README, GUIDE, QUICK_START, DEPLOYMENT)) {
            String text = read(page).replaceAll("\\s+", " ");
            assertThat(ownQueue.matcher(text).find()).as("%s names agency.<id>.events", page).isTrue();
            assertThat(text).as(page.toString())
                    .doesNotContainPattern("(own queue|allowed only[^.]*) `citizen\\.events::");
        }
    }

    /**
     * The README's Layout table. Result: one row per module of the build, in the build's order, then {@code docs/},
     * {@code deploy/} and {@code .ci/}, each a folder of the repository.
     */
    @Test
    void theLayoutTableListsTheModulesInTheBuildsOrder() throws Exception {
        List<String> rows = FOLDER_ROW.matcher(section(read(README), "## Layout")).results()
                .map(row -> row.group(1)).toList();
        List<String> expected = new ArrayList<>(modules());
        expected.addAll(List.of("docs", "deploy", ".ci"));
        assertThat(rows).containsExactlyElementsOf(expected);
        rows.forEach(folder -> assertThat(Path.of("..", folder)).as(folder).isDirectory());
    }

    /**
     * The architecture page's table of modules and its picture of their dependencies. Result: the table has one row
     * per module in the build's order, and the picture's arrows are exactly the dependencies between the modules
     * that their poms declare (compile scope; the test jars are not drawn).
     */
    @Test
    void theArchitectureDrawsTheDependenciesThePomsDeclare() throws Exception {
        String page = read(ARCHITECTURE);
        assertThat(FOLDER_ROW.matcher(section(page, "## The modules")).results().map(row -> row.group(1)).toList())
                .containsExactlyElementsOf(modules());
        Matcher picture = Pattern.compile("```mermaid\nflowchart BT\n(.*?)```", Pattern.DOTALL)
                .matcher(section(page, "## Which module may use which"));
        assertThat(picture.find()).as("the dependency picture").isTrue();
        Set<String> drawn = Pattern.compile("(\\w+) --> (\\w+)").matcher(picture.group(1)).results()
                .map(arrow -> arrow.group(1) + " -> " + arrow.group(2)).collect(Collectors.toCollection(TreeSet::new));
        Set<String> declared = new TreeSet<>();
        for (String module : modules()) {
            compileDependencies(module).forEach(dependency -> declared.add(module + " -> " + dependency));
        }
        assertThat(drawn).isEqualTo(declared);
    }

    /** The modules of the build, in the root pom's order. */
    private static List<String> modules() throws Exception {
        return xpath(Path.of("..", "pom.xml"), "/project/modules/module");
    }

    /** The project's modules {@code module} depends on at compile scope, as its pom declares them. */
    private static List<String> compileDependencies(String module) throws Exception {
        return xpath(Path.of("..", module, "pom.xml"), "/project/dependencies/dependency[groupId='id.jembatan'"
                + " and (not(scope) or scope='compile')]/artifactId").stream()
                .map(artifact -> artifact.substring("jembatan-".length())).toList();
    }

    private static List<String> xpath(Path pom, String expression) throws Exception {
        Document document = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder().parse(pom.toFile());
        NodeList nodes = (NodeList) XPathFactory.newDefaultInstance().newXPath()
                .evaluate(expression, document, XPathConstants.NODESET);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            values.add(nodes.item(i).getTextContent().strip());
        }
        return values;
    }

    private static List<String> settingsOf(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
                .map(DataObjectPropertyName::toDashedForm).toList();
    }

    /** A settings record with nothing configured: its defaults. */
    private static <T> T defaults(Class<T> record) {
        return new Binder().bindOrCreate("jembatan", record);
    }

    private static List<String> backticked(String text) {
        return Pattern.compile("`([^`]+)`").matcher(text).results().map(m -> m.group(1)).toList();
    }

    /** The part of a page from a heading to the next heading of any level. */
    private static String section(String markdown, String heading) {
        int start = markdown.indexOf(heading);
        assertThat(start).as("heading '%s'", heading).isNotNegative();
        int end = markdown.indexOf("\n#", start + heading.length());
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    private static String read(Path page) throws IOException {
        return Files.readString(page, StandardCharsets.UTF_8);
    }
}
