package id.jembatan.operations.jmx;

import id.jembatan.operations.CurrentOperator;
import id.jembatan.operations.OperatorAction;

/**
 * Who invokes a Jembatan MBean operation: the operator signed in to the console when it arrives through Hawtio's
 * Jolokia bridge ({@link CurrentOperator}), otherwise {@value #LOCAL}, a JMX client attached to the bus's own
 * process (JConsole on the bus's machine, as the bus's operating-system user).
 */
public final class JmxOperator {

    public static final String LOCAL = "jmx:local";

    private final CurrentOperator current;

    public JmxOperator(CurrentOperator current) {
        this.current = current;
    }

    OperatorAction action(String reason) {
        return new OperatorAction(current.name().orElse(LOCAL), reason, OperatorAction.JMX);
    }
}
