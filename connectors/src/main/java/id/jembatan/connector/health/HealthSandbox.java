package id.jembatan.connector.health;

import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardEngine;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.core.StandardServer;
import org.apache.catalina.core.StandardService;
import org.apache.catalina.startup.Tomcat;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The health agency's side of the protocol for the demo and the tests: a real HL7 FHIR R4 server (HAPI plain server
 * with an in-memory Patient store) on its own embedded Tomcat at {@code http://127.0.0.1:<port>/fhir}, receiving the
 * Patients the health connector sends.
 *
 * <p>It shares the JVM with the bus's own Spring Boot Tomcat, so it leaves no JVM-wide traces: the Tomcat is
 * assembled from its components instead of through {@link Tomcat}, which would set the {@code catalina.base},
 * {@code catalina.home} and {@code catalina.useNaming} system properties and the global configuration source; the
 * engine has a name of its own ({@code health-sandbox-<n>}), so its JMX names cannot clash with Spring Boot's
 * {@code Tomcat} domain and are unregistered on {@link #stop()}; its work directory is a temporary folder deleted on
 * stop. The one JVM-wide hook Tomcat installs, its URL stream handler factory, is a singleton of the shared
 * tomcat-embed-core that Spring Boot's Tomcat registers too, so whichever starts first installs it for both.
 *
 * <p>The Patients survive {@link #stop()} and {@link #start()} (the agency's database outlives an outage); a
 * restart binds the port of the first start, so the connector's URL stays valid.
 */
public final class HealthSandbox implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    private static final String CONTEXT_PATH = "/fhir";
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final String name = "health-sandbox-" + INSTANCES.incrementAndGet();
    private final SandboxPatientProvider store = new SandboxPatientProvider(Clock.systemUTC());
    private final AtomicInteger failWith = new AtomicInteger();
    private int port;
    private StandardServer server;
    private Path baseDir;

    /** A sandbox that listens on {@code port} of 127.0.0.1 once started; 0 picks a free port on the first start. */
    public HealthSandbox(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0-65535, not " + port);
        }
        this.port = port;
    }

    /** Starts the server; does nothing if it runs already. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            baseDir = Files.createTempDirectory(name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("no temporary directory for the health sandbox", e);
        }
        StandardServer candidate = assemble();
        try {
            candidate.start();
            Connector connector = candidate.findServices()[0].findConnectors()[0];
            if (connector.getState() != LifecycleState.STARTED) {
                throw new LifecycleException("connector is " + connector.getState());
            }
            port = connector.getLocalPort();
            server = candidate;
        } catch (LifecycleException | RuntimeException e) {
            IllegalStateException failure =
                    new IllegalStateException("health sandbox could not start on " + LOOPBACK + ":" + port, e);
            try {
                shutDown(candidate);
                deleteBaseDir();
            } catch (RuntimeException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }

    /** Stops the server and releases its port; the Patients stay for the next {@link #start()}. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        shutDown(server);
        server = null;
        deleteBaseDir();
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The bound port once started (and after a stop, the port a restart binds); before the first start as given. */
    public synchronized int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>/fhir}, the FHIR base URL the health connector is configured with. */
    public synchronized String baseUrl() {
        return "http://" + LOOPBACK + ":" + port + CONTEXT_PATH;
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

    private StandardServer assemble() {
        StandardServer candidate = new StandardServer();
        // No shutdown port: the owner of this object stops it.
        candidate.setPort(-1);
        candidate.setCatalinaBase(baseDir.toFile());
        candidate.setCatalinaHome(baseDir.toFile());
        // In a Spring Boot fat jar HAPI is not on the system class loader, Tomcat's default parent.
        candidate.setParentClassLoader(HealthSandbox.class.getClassLoader());

        StandardService service = new StandardService();
        service.setName(name);
        candidate.addService(service);

        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(port);
        connector.setProperty("address", LOOPBACK);
        connector.setThrowOnFailure(true);
        service.addConnector(connector);

        StandardEngine engine = new StandardEngine();
        engine.setName(name);
        engine.setDefaultHost("localhost");
        service.setContainer(engine);

        StandardHost host = new StandardHost();
        host.setName("localhost");
        host.setAppBase(baseDir.toString());
        host.setAutoDeploy(false);
        engine.addChild(host);

        StandardContext context = new StandardContext();
        context.setName(CONTEXT_PATH);
        context.setPath(CONTEXT_PATH);
        context.setDocBase(baseDir.toString());
        context.setFailCtxIfServletStartFails(true);
        // No JNDI: the Tomcat helper class turns naming off through a system property, this context does it itself.
        context.setUseNaming(false);
        // The leak probes guard class loaders of deployed web applications; this context has no classes of its own.
        context.setClearReferencesObjectStreamClassCaches(false);
        context.setClearReferencesRmiTargets(false);
        context.setClearReferencesThreadLocals(false);
        // The context is configured in code, there is no web.xml for a ContextConfig to read.
        context.addLifecycleListener(new Tomcat.FixContextListener());
        host.addChild(context);

        Wrapper fhir = context.createWrapper();
        fhir.setName("fhir");
        fhir.setServlet(new SandboxFhirServlet());
        fhir.setLoadOnStartup(1);
        context.addChild(fhir);
        context.addServletMappingDecoded("/*", "fhir");
        return candidate;
    }

    private static void shutDown(StandardServer candidate) {
        try {
            // Tomcat's lifecycle knows how to stop from any state, including a failed start.
            candidate.stop();
            candidate.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException("health sandbox did not stop cleanly", e);
        }
    }

    private void deleteBaseDir() {
        if (baseDir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(baseDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the health sandbox's work directory " + baseDir, e);
        }
        baseDir = null;
    }

    /** HAPI's FHIR server over the Patient store, with the switch that makes every request fail. */
    private final class SandboxFhirServlet extends RestfulServer {

        private static final long serialVersionUID = 1L;

        SandboxFhirServlet() {
            super(HealthFhir.context());
            setResourceProviders(store);
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
