package id.jembatan.operations;

import java.util.Optional;

/**
 * The operator on whose behalf the current thread acts, for operations that arrive without a caller of their own
 * (a JMX operation invoked through the console's Jolokia bridge runs on the console request's thread). Implemented
 * where the sign-in lives (the HTTP security), so that operations need no security library.
 */
@FunctionalInterface
public interface CurrentOperator {

    /** The signed-in operator's name, if this thread serves one. */
    Optional<String> name();
}
