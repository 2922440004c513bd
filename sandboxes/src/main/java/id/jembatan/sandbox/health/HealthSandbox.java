package id.jembatan.sandbox.health;

import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.sandbox.server.LoopbackServletContainer;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The health agency's side of the protocol for the demo and the tests: a real HL7 FHIR R4 server (HAPI plain server
 * with an in-memory Patient store) at {@code http://127.0.0.1:<port>/fhir}, receiving the Patients the health
 * connector sends. It answers searches, versioned updates, conditional operations and {@code batch} Bundles as HAPI
 * FHIR's JPA server, the server health agencies run, does (see {@link SandboxPatientProvider},
 * {@link SandboxBatchProvider}); its embedded Tomcat shares the JVM with the
 * bus's own and leaves no JVM-wide traces ({@link LoopbackServletContainer}).
 *
 * <p>The Patients survive {@link #stop()} and {@link #start()} (the agency's database outlives an outage); a
 * restart binds the port of the first start, so the connector's URL stays valid.
 */
public final class HealthSandbox implements AutoCloseable {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final SandboxPatientProvider store;
    private final AtomicInteger failWith = new AtomicInteger();
    private final LoopbackServletContainer container;

    /** A sandbox that listens on {@code port} of 127.0.0.1 once started; 0 picks a free port on the first start. */
    public HealthSandbox(int port) {
        this(port, Clock.systemUTC(), SandboxPatientProvider.DEFAULT_SEARCH_REUSE);
    }

    /** With the clock of its versions and searches, and how long a search's results are reused (tests). */
    HealthSandbox(int port, Clock clock, Duration searchReuse) {
        this.store = new SandboxPatientProvider(clock, searchReuse);
        this.container = new LoopbackServletContainer("health-sandbox-" + INSTANCES.incrementAndGet(), port, "/fhir",
                SandboxFhirServlet::new);
    }

    /** Starts the server; does nothing if it runs already. */
    public void start() {
        container.start();
    }

    /** Stops the server and releases its port; the Patients stay for the next {@link #start()}. */
    public void stop() {
        container.stop();
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return container.isRunning();
    }

    /** The bound port once started (and after a stop, the port a restart binds); before the first start as given. */
    public int port() {
        return container.port();
    }

    /** {@code http://127.0.0.1:<port>/fhir}, the FHIR base URL the health connector is configured with. */
    public String baseUrl() {
        return container.baseUrl();
    }

    /** The current version of every Patient held. */
    public List<Patient> patients() {
        return store.patients();
    }

    /** The current version of the Patient with this NIK identifier. */
    public Optional<Patient> patientByNik(String nik) {
        return store.patientByNik(nik);
    }

    /** How many creates and updates the sandbox has stored since it was constructed. */
    public int writes() {
        return store.writes();
    }

    /**
     * Makes every request fail with this HTTP status and an OperationOutcome (503 for an outage, 422 or 400 for a
     * refusal), to exercise the bus's retries and dead letters; 0 restores normal service.
     */
    public void setFailWith(int status) {
        if (status != 0 && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("status must be 0 or 400-599, not " + status);
        }
        failWith.set(status);
    }

    /** HAPI's FHIR server over the Patient store, with the switch that makes every request fail. */
    private final class SandboxFhirServlet extends RestfulServer {

        private static final long serialVersionUID = 1L;

        SandboxFhirServlet() {
            super(HealthFhir.context());
            setResourceProviders(store);
            registerProvider(new SandboxBatchProvider(store));
            setDefaultResponseEncoding(EncodingEnum.JSON);
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws ServletException, IOException {
            int status = failWith.get();
            if (status == 0) {
                super.service(request, response);
                return;
            }
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(status >= 500 ? OperationOutcome.IssueType.TRANSIENT
                            : OperationOutcome.IssueType.PROCESSING)
                    .setDiagnostics("the health sandbox is set to fail every request with HTTP " + status);
            byte[] body = HealthFhir.context().newJsonParser().encodeResourceToString(outcome)
                    .getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.setContentType(Constants.CT_FHIR_JSON_NEW + ";charset=UTF-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
