package id.jembatan.config;

import id.jembatan.settings.InvalidConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import java.util.stream.Collectors;

/**
 * A start stopped by the bus's configuration, as Spring Boot's "APPLICATION FAILED TO START" summary: every problem
 * on a line of its own, each naming its key, and what to do; the stack trace is left to debug logging (it says
 * nothing the list does not). Registered in {@code META-INF/spring.factories}.
 */
public class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
        int count = cause.problems().size();
        String description = "The bus's configuration has " + count + (count == 1 ? " problem" : " problems") + ":\n\n"
                + cause.problems().stream().map(p -> "    - " + p).collect(Collectors.joining("\n"));
        String action = "Correct each setting named above where it is set (application.yaml, access-policy.yaml, an"
                + " application-<profile>.yaml, a file given with --spring.config.additional-location, an environment"
                + " variable such as JEMBATAN_AGENCIES_<ID>_URL, or the command line), then start the bus again."
                + " docs/adding-an-agency.md explains every agency setting.";
        return new FailureAnalysis(description, action, cause);
    }
}
