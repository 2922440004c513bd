package id.jembatan.config;

import id.jembatan.api.Refusals;
import id.jembatan.config.http.HeadDeadlineNioProtocol;
import id.jembatan.config.http.OperatorConnectorValve;
import id.jembatan.config.http.RefusalReportValve;
import id.jembatan.config.http.UnreadBodyValve;
import id.jembatan.api.HttpSettings;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.ProtocolHandler;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.embedded.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.embedded.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.util.LambdaSafe;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.context.ServletWebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP server (embedded Tomcat), hardened against callers who would stall or exhaust it:
 * <ul>
 *   <li>a request's line and headers must arrive within {@code jembatan.http.request-head-timeout}
 *       ({@link HeadDeadlineNioProtocol}); its body within {@code jembatan.http.request-body-timeout}
 *       ({@code RequestBodyFilter}, after authentication);</li>
 *   <li>a refused request's unread body is not drained ({@link UnreadBodyValve}), and a client that waits for
 *       {@code 100 Continue} is only told to send its body once the bus reads it, after the key check;</li>
 *   <li>whatever the container refuses is answered in the caller's format ({@link RefusalReportValve});</li>
 *   <li>operators get a port of their own ({@code jembatan.http.operator.port}) with its own request threads, serving
 *       only health, the console, metrics and the operator calls ({@link OperatorConnectorValve}), so they keep
 *       answering while agencies' requests occupy every thread of the main port.</li>
 * </ul>
 * The connector's idle timeouts and size limits are Spring Boot's {@code server.tomcat.*} (application.yaml); the
 * operator port gets the same.
 */
@Configuration(proxyBeanMethods = false)
public class HttpServerConfiguration {

    /** Paths the operator port serves: actuator (health, console, Jolokia, Prometheus) and the operator calls. */
    static final List<String> OPERATOR_PATHS = List.of("/actuator", "/api/v1/operations", "/api/v1/audit");

    /** The property holding the operator port's actual number once it listens (like Boot's local.server.port). */
    public static final String LOCAL_OPERATOR_PORT = "local.operator.port";

    /** The property holding the HTTPS (mutual TLS) port's actual number once it listens. */
    public static final String LOCAL_TLS_PORT = "local.tls.port";

    @Bean
    HardenedTomcat hardenedTomcat(HttpSettings settings, Refusals refusals, ObjectProvider<SslBundles> bundles) {
        return new HardenedTomcat(settings, refusals, bundles);
    }

    /** Applies the hardening to Spring Boot's Tomcat factory, after Boot's own customizers have run. */
    static final class HardenedTomcat implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered,
            ApplicationListener<ServletWebServerInitializedEvent> {

        private static final Logger log = LoggerFactory.getLogger(HardenedTomcat.class);

        private final HttpSettings settings;
        private final Refusals refusals;
        private final ObjectProvider<SslBundles> bundles;
        private Connector operatorConnector;
        private Connector tlsConnector;

        HardenedTomcat(HttpSettings settings, Refusals refusals, ObjectProvider<SslBundles> bundles) {
            this.settings = settings;
            this.refusals = refusals;
            this.bundles = bundles;
        }

        @Override
        public int getOrder() {
            // Last: the operator connector takes every connector customization Boot has registered by then.
            return Ordered.LOWEST_PRECEDENCE;
        }

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.setProtocol(HeadDeadlineNioProtocol.class.getName());
            factory.addProtocolHandlerCustomizers(this::limitRequestHead);
            factory.addEngineValves(new UnreadBodyValve());
            if (settings.operator().port() >= 0) {
                operatorConnector = operatorConnector(factory);
                factory.addAdditionalTomcatConnectors(operatorConnector);
            }
            if (settings.tls().port() >= 0) {
                tlsConnector = tlsConnector(factory);
                factory.addAdditionalTomcatConnectors(tlsConnector);
            }
            Connector operators = operatorConnector;
            factory.addContextCustomizers(context -> {
                Host host = (Host) context.getParent();
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.getPipeline().addValve(new RefusalReportValve(refusals));
                if (host instanceof StandardHost standard) {
                    // The host adds an error valve of this class at start unless one is there: ours is.
                    standard.setErrorReportValveClass(RefusalReportValve.class.getName());
                }
                if (operators != null) {
                    host.getPipeline().addValve(new OperatorConnectorValve(operators, OPERATOR_PATHS));
                }
            });
        }

        private void limitRequestHead(ProtocolHandler handler) {
            if (handler instanceof HeadDeadlineNioProtocol protocol) {
                protocol.setRequestHeadTimeout(settings.requestHeadTimeout().toMillis());
            }
            if (handler instanceof AbstractHttp11Protocol<?> http) {
                // "100 Continue" only when the bus reads the body, i.e. after the key check: a client that waits for
                // it never sends a body to be refused.
                http.setContinueResponseTiming("onRead");
            }
        }

        /** A connector like the main one (same protocol, limits and timeouts) with its own port and threads. */
        private Connector operatorConnector(TomcatServletWebServerFactory factory) {
            HttpSettings.Operator operator = settings.operator();
            Connector connector = connectorLikeTheMainOne(factory, operator.port(),
                    operatorAddress(factory, operator.address()));
            if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
                protocol.setMaxThreads(operator.threads());
                protocol.setMinSpareThreads(Math.min(protocol.getMinSpareThreads(), operator.threads()));
            }
            return connector;
        }

        /**
         * The HTTPS port: a connector like the main one that speaks TLS with the bundle's server key and asks each
         * client for a certificate of a CA in the bundle's trust store ({@code want} or {@code need}); the chain is
         * verified here, the agency found by {@code CertificateAuthenticationFilter}.
         */
        private Connector tlsConnector(TomcatServletWebServerFactory factory) {
            HttpSettings.Tls tls = settings.tls();
            SslBundle bundle = bundles.getObject().getBundle(tls.bundle());
            Connector connector = connectorLikeTheMainOne(factory, tls.port(), factory.getAddress());
            connector.setScheme("https");
            connector.setSecure(true);
            AbstractHttp11Protocol<?> http = (AbstractHttp11Protocol<?>) connector.getProtocolHandler();
            http.setSSLEnabled(true);
            SSLHostConfig host = new SSLHostConfig();
            host.setCertificateVerification(tls.clientAuth() == HttpSettings.ClientAuth.NEED ? "required" : "optional");
            host.setTrustStore(bundle.getStores().getTrustStore());
            SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host,
                    SSLHostConfigCertificate.Type.UNDEFINED);
            certificate.setCertificateKeystore(bundle.getStores().getKeyStore());
            certificate.setCertificateKeystorePassword(bundle.getStores().getKeyStorePassword());
            if (bundle.getKey().getAlias() != null) {
                certificate.setCertificateKeyAlias(bundle.getKey().getAlias());
            }
            if (bundle.getKey().getPassword() != null) {
                certificate.setCertificateKeyPassword(bundle.getKey().getPassword());
            }
            host.addCertificate(certificate);
            http.addSslHostConfig(host);
            return connector;
        }

        /** A connector with the main one's protocol, customizations, limits and timeouts, on another port. */
        private static Connector connectorLikeTheMainOne(TomcatServletWebServerFactory factory, int port,
                                                         InetAddress address) {
            Connector connector = new Connector(HeadDeadlineNioProtocol.class.getName());
            connector.setPort(port);
            connector.setProperty("bindOnInit", "false");
            connector.setURIEncoding(factory.getUriEncoding().name());
            if (address != null && connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
                protocol.setAddress(address);
            }
            for (TomcatConnectorCustomizer customizer : factory.getTomcatConnectorCustomizers()) {
                customizer.customize(connector);
            }
            ProtocolHandler handler = connector.getProtocolHandler();
            LambdaSafe.callbacks(TomcatProtocolHandlerCustomizer.class, factory.getTomcatProtocolHandlerCustomizers(),
                    handler).invoke(customizer -> customizer.customize(handler));
            return connector;
        }

        private static InetAddress operatorAddress(TomcatServletWebServerFactory factory, String address) {
            if (address == null || address.isBlank()) {
                return factory.getAddress();
            }
            try {
                return InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("jembatan.http.operator.address: unknown host '" + address + "'",
                        e);
            }
        }

        /**
         * Publishes the operator port's actual number as {@value #LOCAL_OPERATOR_PORT}, the HTTPS port's as
         * {@value #LOCAL_TLS_PORT} (tests ask for port 0).
         */
        @Override
        public void onApplicationEvent(ServletWebServerInitializedEvent event) {
            if (!(event.getWebServer() instanceof TomcatWebServer)) {
                return;
            }
            if (operatorConnector != null) {
                int port = operatorConnector.getLocalPort();
                log.info("Operator port (health, console, metrics, operator calls) listening on {}", port);
                publish(event, LOCAL_OPERATOR_PORT, port);
            }
            if (tlsConnector != null) {
                int port = tlsConnector.getLocalPort();
                log.info("HTTPS port (mutual TLS, client certificates {}) listening on {}",
                        settings.tls().clientAuth().name().toLowerCase(Locale.ROOT), port);
                publish(event, LOCAL_TLS_PORT, port);
            }
        }

        private static void publish(ServletWebServerInitializedEvent event, String property, int port) {
            ConfigurableEnvironment environment = event.getApplicationContext().getEnvironment();
            MutablePropertySources sources = environment.getPropertySources();
            PropertySource<?> source = sources.get("server.ports");
            if (source instanceof MapPropertySource ports) {
                ports.getSource().put(property, port);
            } else {
                Map<String, Object> ports = new HashMap<>();
                ports.put(property, port);
                sources.addFirst(new MapPropertySource("server.ports", ports));
            }
        }
    }
}
