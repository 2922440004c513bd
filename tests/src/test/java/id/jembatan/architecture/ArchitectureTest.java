package id.jembatan.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of the code: the modules' arrows point one way (schemas &lt;- connectors &lt;- core &lt;- routes &lt;- api
 * &lt;- config &lt;- sandboxes), a connector uses only the contract and libraries, and no two packages of
 * {@code id.jembatan} need each other. Maven keeps a module from compiling against a module it does not declare;
 * this test keeps the declarations themselves honest, and sees cycles inside a module, which Maven cannot.
 *
 * <p>A class belongs to the module it was compiled in (its {@code target/classes} folder or its module jar), not to
 * a list of package names, so that a class moved between modules is judged where it now lives.
 */
class ArchitectureTest {

    /** The production modules, lowest first: each may use the ones before it, never one after it. */
    static final List<String> MODULES = List.of("schemas", "connectors", "core", "routes", "api", "config",
            "sandboxes");

    /**
     * Where a module's own classes are: {@code <module>/target/classes/} or the jar in {@code <module>/target/} in a
     * reactor build ({@code jembatan.jar} for config and sandboxes), {@code jembatan-<module>/<version>/} in a Maven
     * repository; never its test-jar ({@code -tests.jar}).
     */
    private static final Pattern MODULE_LOCATION = Pattern.compile("/(?:(" + String.join("|", MODULES)
            + ")/target/(?:classes/|[^/!]*(?<!-tests)\\.jar!)|jembatan-(" + String.join("|", MODULES)
            + ")/[^/]+/[^/!]*(?<!-tests)\\.jar!)");

    private static JavaClasses production;

    @BeforeAll
    static void importProductionCode() {
        production = new ClassFileImporter()
                .withImportOption(ArchitectureTest::isProductionCode)
                .importPackages("id.jembatan");
    }

    /**
     * The import is what the rules below judge: it must hold every module, or a rule about a missing one would pass
     * on nothing.
     */
    @Test
    void everyModuleIsImported() {
        assertThat(production.stream().map(ArchitectureTest::moduleOf).flatMap(Optional::stream).distinct())
                .containsExactlyInAnyOrderElementsOf(MODULES);
        assertThat(production.stream().filter(c -> moduleOf(c).isEmpty()).map(JavaClass::getName))
                .as("classes of no known module").isEmpty();
    }

    /** Each module uses only the modules below it: schemas nothing of ours, sandboxes anything. */
    @Test
    void moduleArrowsPointOneWay() {
        Architectures.LayeredArchitecture layers = Architectures.layeredArchitecture()
                .consideringOnlyDependenciesInLayers();
        for (String module : MODULES) {
            layers = layers.layer(module).definedBy(inModule(module));
        }
        for (int i = 0; i < MODULES.size() - 1; i++) {
            List<String> above = MODULES.subList(i + 1, MODULES.size());
            layers = layers.whereLayer(MODULES.get(i)).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
        }
        layers = layers.whereLayer(MODULES.get(MODULES.size() - 1)).mayNotBeAccessedByAnyLayer();
        layers.check(production);
    }

    /**
     * A connector (translator, connector, its factory and settings) is agency-facing code that an integrator reads
     * and writes on its own: it knows the contract ({@code id.jembatan.schema}) and the connector SPI, and nothing of
     * the core, the routes, the API or the wiring.
     */
    @Test
    void connectorsUseOnlyTheContractAndLibraries() {
        noClasses().that().resideInAPackage("id.jembatan.connector..")
                .should().dependOnClassesThat(resideInAPackage("id.jembatan..")
                        .and(DescribedPredicate.not(resideInAnyPackage("id.jembatan.connector..",
                                "id.jembatan.schema.."))))
                .because("connectors depend only on the contract (schemas) and libraries")
                .check(production);
        noClasses().that(inModule("connectors"))
                .should().dependOnClassesThat(inAnyModule(MODULES.subList(2, MODULES.size())))
                .because("the connectors module sits right above schemas")
                .check(production);
    }

    /** No package needs another that needs it back, directly or through others, anywhere in {@code id.jembatan}. */
    @Test
    void noPackageCycles() {
        slices().matching("id.jembatan.(**)").should().beFreeOfCycles().check(production);
    }

    /**
     * The same for the end-to-end tests, the test kit and the benchmark: a kit an integrator depends on cannot need
     * the project's own ITs, and the ITs and the benchmark share their helpers through one place.
     */
    @Test
    void noPackageCyclesInTheEndToEndTests() {
        JavaClasses tests = new ClassFileImporter()
                .withImportOption(location -> location.contains("/tests/target/test-classes/"))
                .importPackages("id.jembatan");
        assertThat(tests.stream().map(JavaClass::getPackageName).distinct())
                .contains("id.jembatan.it", "id.jembatan.testkit", "id.jembatan.bench");
        slices().matching("id.jembatan.(**)").should().beFreeOfCycles().check(tests);
    }

    private static boolean isProductionCode(Location location) {
        return MODULE_LOCATION.matcher(location.asURI().toString()).find();
    }

    static Optional<String> moduleOf(JavaClass javaClass) {
        return javaClass.getSource().map(source -> source.getUri().toString()).flatMap(uri -> {
            Matcher m = MODULE_LOCATION.matcher(uri);
            return m.find() ? Optional.of(m.group(1) != null ? m.group(1) : m.group(2)) : Optional.empty();
        });
    }

    static DescribedPredicate<JavaClass> inModule(String module) {
        return DescribedPredicate.describe("in module " + module,
                javaClass -> moduleOf(javaClass).filter(module::equals).isPresent());
    }

    static DescribedPredicate<JavaClass> inAnyModule(List<String> modules) {
        return DescribedPredicate.describe("in module " + String.join(", ", modules),
                javaClass -> moduleOf(javaClass).filter(modules::contains).isPresent());
    }
}
