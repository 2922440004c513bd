package id.jembatan.operator;

import id.jembatan.settings.JembatanProperties;
import id.jembatan.settings.OperatorProperties;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperatorDirectoryTest {

    /** SHA-256 of {@code demo-operator-key}. */
    private static final String OPERATOR_DIGEST = "4a7c449d22a99026fac16a47621ff68792ff589f72334ea3950ce186a5615e9a";

    /** The configured key authenticates as the operator; any other key, an empty one or none does not. */
    @Test
    void authenticatesOnlyTheConfiguredKey() {
        OperatorDirectory operators = new OperatorDirectory(operators(OPERATOR_DIGEST.toUpperCase()),
                new JembatanProperties());

        assertThat(operators.authenticate("demo-operator-key")).hasValue(OperatorDirectory.PRINCIPAL);
        assertThat(operators.authenticate("demo-operator-kez")).isEmpty();
        assertThat(operators.authenticate("")).isEmpty();
        assertThat(operators.authenticate(null)).isEmpty();
    }

    /** Without configured keys nobody is an operator. */
    @Test
    void noKeysNoOperators() {
        assertThat(new OperatorDirectory(new OperatorProperties(), new JembatanProperties())
                .authenticate("demo-operator-key")).isEmpty();
    }

    /** A value that is not a SHA-256 hex digest (a key pasted in clear) stops the start, naming the setting. */
    @Test
    void refusesAKeyInClear() {
        assertThatThrownBy(() -> new OperatorDirectory(operators("demo-operator-key"), new JembatanProperties()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("jembatan.operators.api-keys");
    }

    /** A digest that is also an agency's key stops the start: one key may not open both kinds of endpoint. */
    @Test
    void refusesAnAgencyKey() {
        JembatanProperties properties = new JembatanProperties();
        JembatanProperties.Agency tax = new JembatanProperties.Agency();
        tax.setApiKeys(List.of(OPERATOR_DIGEST));
        properties.getAgencies().put("tax", tax);

        assertThatThrownBy(() -> new OperatorDirectory(operators(OPERATOR_DIGEST), properties))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("jembatan.agencies.tax.api-keys");
    }

    private static OperatorProperties operators(String... digests) {
        OperatorProperties operators = new OperatorProperties();
        operators.setApiKeys(List.of(digests));
        return operators;
    }
}
