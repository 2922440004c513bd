package id.jembatan.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Helm chart ({@code deploy/helm/jembatan}) rendered without Helm ({@link ChartTemplates}) and every object read
 * into fabric8's Kubernetes model: a field Kubernetes does not know (a typo, a wrong level) or a value of the wrong
 * type fails the build, as {@code kubectl apply} would fail the deployment. Then what the production topology needs:
 * N instances on the production profile, secrets only from a Secret, readiness on {@code /actuator/health/bus}, not
 * root, a PodDisruptionBudget over the same pods.
 */
class HelmChartTest {

    static final Path CHART = Path.of("..", "deploy", "helm", "jembatan");
    private static final ObjectMapper KUBERNETES = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "Deployment", Deployment.class, "Service", Service.class, "ConfigMap", ConfigMap.class,
            "PodDisruptionBudget", PodDisruptionBudget.class);

    /**
     * The chart with its default values. Result: a Deployment of 2 instances, a Service, a PodDisruptionBudget and a
     * ConfigMap, each a valid Kubernetes object of a known API version, and nothing else.
     */
    @Test
    void rendersValidKubernetesObjects() {
        List<HasMetadata> objects = render(Map.of());
        assertThat(objects).extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder("ConfigMap", "Deployment", "PodDisruptionBudget", "Service");
        assertThat(objects).extracting(HasMetadata::getApiVersion)
                .containsExactlyInAnyOrder("v1", "apps/v1", "policy/v1", "v1");
        assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getName()).startsWith("bus"));
    }

    /**
     * The production topology with 3 instances. Result: 3 replicas, the production profile, database and broker from
     * the values, every password and key from the Secret (no literal), not root, a read-only root file system,
     * readiness on the operator port's {@code /actuator/health/bus}, liveness and start-up on its liveness group.
     */
    @Test
    void runsTheProductionTopology() {
        List<HasMetadata> objects = render(Map.of("replicaCount", 3));
        Deployment deployment = only(objects, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
        Container bus = pod.getContainers().get(0);
        assertThat(bus.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(bus.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        Map<String, EnvVar> env = bus.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertThat(env.get("SPRING_PROFILES_ACTIVE").getValue()).isEqualTo("production");
        assertThat(env.get("JEMBATAN_DATABASE_URL").getValue()).startsWith("jdbc:postgresql://");
        assertThat(env.get("JEMBATAN_BROKER_URL").getValue()).contains("ha=true");
        for (String secret : List.of("JEMBATAN_DATABASE_PASSWORD", "JEMBATAN_BROKER_PASSWORD",
                "JEMBATAN_OPERATORS_APIKEYS")) {
            assertThat(env.get(secret).getValue()).as(secret + " has no literal value").isNull();
            assertThat(env.get(secret).getValueFrom().getSecretKeyRef().getName()).isEqualTo("jembatan");
        }
        assertThat(bus.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactlyInAnyOrder("http:8080", "operator:8081");
        assertThat(bus.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/bus");
        assertThat(bus.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("operator");
        assertThat(bus.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(bus.getStartupProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(bus.getResources().getLimits()).containsKey("memory");
    }

    /**
     * The objects that select pods. Result: the Service and the PodDisruptionBudget select exactly the Deployment's
     * pods (of this release), and the budget lets one instance stop at a time.
     */
    @Test
    void theServiceAndTheBudgetSelectTheBusPods() {
        List<HasMetadata> objects = render(Map.of());
        Map<String, String> podLabels = only(objects, Deployment.class).getSpec().getTemplate().getMetadata()
                .getLabels();
        assertThat(only(objects, Deployment.class).getSpec().getSelector().getMatchLabels())
                .isEqualTo(only(objects, Service.class).getSpec().getSelector());
        assertThat(podLabels).containsAllEntriesOf(only(objects, Service.class).getSpec().getSelector());
        PodDisruptionBudget budget = only(objects, PodDisruptionBudget.class);
        assertThat(podLabels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(only(objects, Service.class).getSpec().getPorts()).extracting(p -> p.getTargetPort().getStrVal())
                .containsExactlyInAnyOrder("http", "operator");
    }

    /** The bus's own settings from the values. Result: the ConfigMap's application.yaml holds them, as YAML. */
    @Test
    void theBusSettingsReachTheConfigMap() {
        ConfigMap config = only(render(Map.of("config.jembatan.agencies.bansos.url", "https://bansos.example.org/e")),
                ConfigMap.class);
        Map<String, Object> settings = new Yaml().load(config.getData().get("application.yaml"));
        assertThat(settings).extractingByKey("jembatan").extracting("agencies").extracting("bansos")
                .extracting("url").isEqualTo("https://bansos.example.org/e");
    }

    /** A manifest with a misspelled field. Result: the check refuses it, naming the field. */
    @Test
    void aFieldKubernetesDoesNotKnowFailsTheCheck() {
        String typo = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: bus
                spec:
                  replicas: 2
                  template:
                    spec:
                      containers:
                        - name: jembatan
                          readinesProbe:
                            httpGet: {path: /actuator/health/bus, port: operator}
                """;
        assertThatThrownBy(() -> read("typo.yaml", typo)).hasMessageContaining("readinesProbe");
        assertThatThrownBy(() -> read("type.yaml", "apiVersion: apps/v1\nkind: Deployment\nspec: {replicas: two}\n"))
                .hasMessageContaining("replicas");
    }

    private static List<HasMetadata> render(Map<String, Object> overrides) {
        List<HasMetadata> objects = new ArrayList<>();
        new ChartTemplates(CHART, overrides).render("bus", "jembatan")
                .forEach((file, yaml) -> objects.add(read(file, yaml)));
        return objects;
    }

    /** One rendered manifest as its Kubernetes object; every field must be one the model knows. */
    private static HasMetadata read(String file, String yaml) {
        Map<String, Object> tree = new Yaml().load(yaml);
        Class<? extends HasMetadata> type = KINDS.get(String.valueOf(tree.get("kind")));
        assertThat(type).as(file + ": kind " + tree.get("kind")).isNotNull();
        HasMetadata object;
        try {
            object = KUBERNETES.convertValue(tree, type);
        } catch (IllegalArgumentException e) {
            throw new AssertionError(file + ": " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        unknownFields(object, type.getSimpleName(), unknown, new IdentityHashMap<>());
        if (!unknown.isEmpty()) {
            throw new AssertionError(file + ": fields Kubernetes does not know: " + unknown);
        }
        return object;
    }

    /** fabric8's model keeps a field it does not know in additionalProperties: none may be there, at any depth. */
    private static void unknownFields(Object node, String path, List<String> unknown, Map<Object, Object> seen) {
        if (node == null || seen.put(node, node) != null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            items.forEach(item -> unknownFields(item, path + "[]", unknown, seen));
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown, seen));
            return;
        }
        if (!node.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        try {
            for (PropertyDescriptor p : Introspector.getBeanInfo(node.getClass(), Object.class)
                    .getPropertyDescriptors()) {
                if (p.getReadMethod() == null) {
                    continue;
                }
                Object value = p.getReadMethod().invoke(node);
                if (p.getName().equals("additionalProperties")) {
                    ((Map<?, ?>) value).keySet().forEach(k -> unknown.add(path + "." + k));
                } else {
                    unknownFields(value, path + "." + p.getName(), unknown, seen);
                }
            }
        } catch (java.beans.IntrospectionException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
