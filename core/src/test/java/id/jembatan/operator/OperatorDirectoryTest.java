package id.jembatan.operator;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.agency.AgencySettings;
import id.jembatan.settings.SettingsProblems;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperatorDirectoryTest {

    /** SHA-256 of {@code demo-operator-key}. */
    private static final String OPERATOR_DIGEST = "4a7c449d22a99026fac16a47621ff68792ff589f72334ea3950ce186a5615e9a";
    private static final AgenciesSettings NO_AGENCIES = new AgenciesSettings(Map.of());

    /** The configured key authenticates as the operator; any other key, an empty one or none does not. */
    @Test
    void authenticatesOnlyTheConfiguredKey() {
        OperatorDirectory operators = new OperatorDirectory(operators(OPERATOR_DIGEST.toUpperCase()), NO_AGENCIES);

        assertThat(operators.authenticate("demo-operator-key")).hasValue(OperatorDirectory.PRINCIPAL);
        assertThat(operators.authenticate("demo-operator-kez")).isEmpty();
        assertThat(operators.authenticate("")).isEmpty();
        assertThat(operators.authenticate(null)).isEmpty();
    }

    /** Without configured keys nobody is an operator. */
    @Test
    void noKeysNoOperators() {
        assertThat(new OperatorDirectory(operators(), NO_AGENCIES).authenticate("demo-operator-key")).isEmpty();
    }

    /**
     * Values that are not SHA-256 hex digests (a key pasted in clear, a digest cut short). Result: one start-up
     * problem naming the setting, however many entries are wrong.
     */
    @Test
    void refusesAKeyInClear() {
        assertThat(SettingsProblems.of("jembatan.operators", operators("demo-operator-key", "4a7c449d")))
                .containsExactly("jembatan.operators.api-keys: each entry must be the SHA-256 hex digest (64 hex"
                        + " digits) of a key, never the key itself (printf %s \"$KEY\" | sha256sum)");
        assertThat(SettingsProblems.of("jembatan.operators", operators(OPERATOR_DIGEST))).isEmpty();
    }

    /** A digest that is also an agency's key stops the start: one key may not open both kinds of endpoint. */
    @Test
    void refusesAnAgencyKey() {
        AgenciesSettings agencies = new AgenciesSettings(Map.of("tax",
                new AgencySettings(List.of(OPERATOR_DIGEST), List.of(), List.of(), null, null, null, List.of(), List.of(),
                        false)));

        assertThatThrownBy(() -> new OperatorDirectory(operators(OPERATOR_DIGEST), agencies))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("jembatan.agencies.tax.api-keys");
    }

    /**
     * Two named operators beside the shared key. Result: each named key signs in as its operator's name, the shared
     * key as {@code operator}; a digest given to two operators, or an operator named like an agency, stops the start
     * naming the key.
     */
    @Test
    void namedOperatorsSignInUnderTheirNames() {
        String ayu = digest("ayu-key");
        String budi = digest("budi-key");
        OperatorDirectory operators = new OperatorDirectory(new OperatorSettings(List.of(OPERATOR_DIGEST), Map.of(
                "ayu", new OperatorSettings.Named(List.of(ayu)), "budi", new OperatorSettings.Named(List.of(budi)))),
                NO_AGENCIES);

        assertThat(operators.authenticate("ayu-key")).hasValue("ayu");
        assertThat(operators.authenticate("budi-key")).hasValue("budi");
        assertThat(operators.authenticate("demo-operator-key")).hasValue(OperatorDirectory.PRINCIPAL);

        assertThat(OperatorDirectory.problems(new OperatorSettings(List.of(), Map.of(
                "ayu", new OperatorSettings.Named(List.of(ayu)), "budi", new OperatorSettings.Named(List.of(ayu)))),
                NO_AGENCIES)).singleElement().asString().contains("jembatan.operators.named.");
        assertThat(OperatorDirectory.problems(new OperatorSettings(List.of(), Map.of(
                "tax", new OperatorSettings.Named(List.of(ayu)))), new AgenciesSettings(Map.of("tax",
                new AgencySettings(List.of(), List.of(), List.of(), null, null, null, List.of(),
                        List.of(), false)))))
                .singleElement().asString().startsWith("jembatan.operators.named.tax: ");
    }

    private static String digest(String key) {
        return java.util.HexFormat.of().formatHex(id.jembatan.agency.AgencyDirectory.sha256(key));
    }

    private static OperatorSettings operators(String... digests) {
        return new OperatorSettings(List.of(digests));
    }
}
