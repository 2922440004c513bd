package id.jembatan.sandbox.server;

import jakarta.servlet.Servlet;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One servlet on an embedded Tomcat at {@code http://127.0.0.1:<port><contextPath>}, for a sandbox agency (or a test's
 * agency server) that shares its JVM with the bus's own Spring Boot Tomcat and therefore leaves no JVM-wide traces.
 *
 * <p>The Tomcat is assembled from its components instead of through {@link Tomcat}, which would set the
 * {@code catalina.base}, {@code catalina.home} and {@code catalina.useNaming} system properties and the global
 * configuration source; the engine has a name of its own, so its JMX names cannot clash with Spring Boot's
 * {@code Tomcat} domain and are unregistered on {@link #stop()}; its work directory is a temporary folder deleted on
 * stop. The one JVM-wide hook Tomcat installs, its URL stream handler factory, is a singleton of the shared
 * tomcat-embed-core that Spring Boot's Tomcat registers too, so whichever starts first installs it for both.
 *
 * <p>A restart binds the port of the first start, so URLs handed out stay valid; each start takes a new servlet
 * from the supplier (Tomcat destroys the old one on stop).
 */
public final class LoopbackServletContainer {

    private static final String LOOPBACK = "127.0.0.1";

    private final String name;
    private final String contextPath;
    private final Supplier<? extends Servlet> servlet;
    private int port;
    private StandardServer server;
    private Path baseDir;

    /**
     * @param name        the engine's and service's name (JMX), unique in the JVM, e.g. {@code health-sandbox-1}
     * @param port        the port on 127.0.0.1; 0 picks a free port on the first start
     * @param contextPath where the servlet answers, e.g. {@code /fhir} (it gets every path below)
     */
    public LoopbackServletContainer(String name, int port, String contextPath, Supplier<? extends Servlet> servlet) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0-65535, not " + port);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.port = port;
        this.contextPath = Objects.requireNonNull(contextPath, "contextPath");
        this.servlet = Objects.requireNonNull(servlet, "servlet");
    }

    /** Starts the server; does nothing if it runs already. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            baseDir = Files.createTempDirectory(name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("no temporary directory for " + name, e);
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
                    new IllegalStateException(name + " could not start on " + LOOPBACK + ":" + port, e);
            try {
                shutDown(candidate);
                deleteBaseDir();
            } catch (RuntimeException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }

    /** Stops the server and releases its port. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        shutDown(server);
        server = null;
        deleteBaseDir();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The bound port once started (and after a stop, the port a restart binds); before the first start as given. */
    public synchronized int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port><contextPath>}. */
    public synchronized String baseUrl() {
        return "http://" + LOOPBACK + ":" + port + contextPath;
    }

    private StandardServer assemble() {
        StandardServer candidate = new StandardServer();
        // No shutdown port: the owner of this object stops it.
        candidate.setPort(-1);
        candidate.setCatalinaBase(baseDir.toFile());
        candidate.setCatalinaHome(baseDir.toFile());
        // In a Spring Boot fat jar the servlet's libraries are not on the system class loader, Tomcat's default parent.
        candidate.setParentClassLoader(LoopbackServletContainer.class.getClassLoader());

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
        context.setName(contextPath);
        context.setPath(contextPath);
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

        Wrapper wrapper = context.createWrapper();
        wrapper.setName("servlet");
        wrapper.setServlet(servlet.get());
        wrapper.setLoadOnStartup(1);
        context.addChild(wrapper);
        context.addServletMappingDecoded("/*", "servlet");
        return candidate;
    }

    private void shutDown(StandardServer candidate) {
        try {
            // Tomcat's lifecycle knows how to stop from any state, including a failed start.
            candidate.stop();
            candidate.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException(name + " did not stop cleanly", e);
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
            throw new UncheckedIOException("could not delete the work directory of " + name + ": " + baseDir, e);
        }
        baseDir = null;
    }
}
