package id.jembatan.operations;

/**
 * Who asks for an operation and why, as the audit chain records it.
 *
 * @param operator the operator's name as signed in (a named operator, an OAuth2 operator's subject, or
 *                 {@code operator} for the shared operator keys)
 * @param reason   why, in the operator's words (empty when none was given; suspending requires one)
 * @param channel  how the operator asked: {@value #HTTP} or {@value #JMX}; {@value #CONFIGURATION} when the bus
 *                 acted on its configuration
 */
public record OperatorAction(String operator, String reason, String channel) {

    public static final String HTTP = "operations-http";
    public static final String JMX = "jmx";
    /** The bus itself acting on its configuration (an agency's {@code sync-on-start}). */
    public static final String CONFIGURATION = "configuration";
    /** Longest reason kept (the audit column's size). */
    public static final int MAX_REASON = 500;

    public OperatorAction {
        reason = reason == null ? "" : reason.strip();
        if (reason.length() > MAX_REASON) {
            throw new IllegalArgumentException("a reason has at most " + MAX_REASON + " characters");
        }
    }
}
