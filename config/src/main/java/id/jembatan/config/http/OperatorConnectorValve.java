package id.jembatan.config.http;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

import java.io.IOException;
import java.util.List;

/**
 * Keeps the operators' connector to what operators need (health, the console, metrics, the operator calls): any other
 * path there is 404, so agencies' traffic never takes the request threads kept for operators.
 */
public class OperatorConnectorValve extends ValveBase {

    private final Connector operatorConnector;
    private final List<String> operatorPaths;

    /**
     * @param operatorConnector the connector kept for operators
     * @param operatorPaths     path prefixes it serves ({@code /actuator} serves {@code /actuator/**} too)
     */
    public OperatorConnectorValve(Connector operatorConnector, List<String> operatorPaths) {
        super(true);
        this.operatorConnector = operatorConnector;
        this.operatorPaths = List.copyOf(operatorPaths);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if (request.getConnector() == operatorConnector && !isOperatorPath(request.getDecodedRequestURI())) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        getNext().invoke(request, response);
    }

    private boolean isOperatorPath(String path) {
        return path != null && operatorPaths.stream()
                .anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"));
    }
}
