package id.jembatan.config.http;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

import java.io.IOException;

/**
 * After a refusal whose request body was never read (no key, a wrong method, a path that does not exist), closes the
 * connection once the answer is sent instead of draining the body. Tomcat otherwise reads the rest of such a body, up
 * to {@code server.tomcat.max-swallow-size}, on the request thread before the connection may carry another request:
 * a caller refused at the door could hold a request thread for as long as it takes to send its body slowly.
 */
public class UnreadBodyValve extends ValveBase {

    public UnreadBodyValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        if (request.isAsync() || response.getStatus() < 400 || request.getCoyoteRequest().isFinished()) {
            return;
        }
        if (!response.isCommitted()) {
            response.setHeader("Connection", "close");
        }
        // Tomcat's own signal for an aborted upload: answer, then close without reading on.
        request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
    }
}
