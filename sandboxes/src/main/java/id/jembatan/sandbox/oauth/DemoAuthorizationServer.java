package id.jembatan.sandbox.oauth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.apache.catalina.startup.Tomcat;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.ResolvableType;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.util.function.SingletonSupplier;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The demo's OAuth2 authorization server: Spring Authorization Server on {@code http://127.0.0.1:<port>}, issuing
 * client-credentials access tokens (JWT, RS256, a key pair made at start) to the configured clients, for the
 * configured audience (the bus), with the client's id in {@code client_id} and its roles, if any, in {@code roles}. The bus finds its keys as it would a
 * real issuer's: through {@code /.well-known/oauth-authorization-server} and its {@code jwks_uri}. Its issuer is its
 * own address ({@link #issuer()}). A Spring context of its own, beside the bus's, started and stopped with it; demo
 * and tests only.
 */
public final class DemoAuthorizationServer {

    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);

    /** The bean that marks the authorization server's own context ({@link Endpoints.InItsOwnContext}). */
    private static final String SETTINGS_BEAN = "demoAuthorizationServerSettings";

    private static final String ENGINE_NAME = "demo-authorization-server";

    private final int requestedPort;
    private final String audience;
    private final Map<String, DemoClient> clients;
    private AnnotationConfigServletWebServerApplicationContext context;

    /**
     * @param port     the port on 127.0.0.1; 0 picks a free one
     * @param audience the {@code aud} of every token (the bus's {@code jembatan.oauth2.audience})
     * @param clients  the clients by client id
     */
    public DemoAuthorizationServer(int port, String audience, Map<String, DemoClient> clients) {
        this.requestedPort = port;
        this.audience = audience;
        this.clients = Map.copyOf(clients);
    }

    public synchronized void start() {
        AnnotationConfigServletWebServerApplicationContext started = new AnnotationConfigServletWebServerApplicationContext();
        started.setId(ENGINE_NAME);
        started.registerBean(TomcatServletWebServerFactory.class, () -> {
            TomcatServletWebServerFactory tomcat = new TomcatServletWebServerFactory(requestedPort) {
                @Override
                protected TomcatWebServer getTomcatWebServer(Tomcat server) {
                    // An engine name of its own: its JMX names cannot clash with the bus's Tomcat in the same JVM.
                    server.getEngine().setName(ENGINE_NAME);
                    return super.getTomcatWebServer(server);
                }
            };
            tomcat.setAddress(InetAddress.getLoopbackAddress());
            // The endpoints are filters; Tomcat runs filters only for a request some servlet is mapped to.
            tomcat.setRegisterDefaultServlet(true);
            return tomcat;
        });
        started.registerBean(RegisteredClientRepository.class, this::registeredClients);
        started.registerBean("jwkSource", JWKSource.class, DemoAuthorizationServer::signingKeys);
        // With its generic type: the authorization server looks the customizer up as OAuth2TokenCustomizer<JwtEncodingContext>.
        started.registerBean("tokenCustomizer", OAuth2TokenCustomizer.class, this::tokenCustomizer,
                definition -> ((RootBeanDefinition) definition).setTargetType(ResolvableType
                        .forClassWithGenerics(OAuth2TokenCustomizer.class, JwtEncodingContext.class)));
        started.registerBean(SETTINGS_BEAN, AuthorizationServerSettings.class,
                () -> AuthorizationServerSettings.builder().build());
        started.register(Endpoints.class);
        started.refresh();
        context = started;
    }

    public synchronized void stop() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    public int port() {
        return context.getWebServer().getPort();
    }

    /** The issuer its tokens name ({@code iss}): what the bus's {@code jembatan.oauth2.issuer-uri} must be. */
    public String issuer() {
        return "http://127.0.0.1:" + port();
    }

    /** Where a client asks for a token ({@code POST}, {@code grant_type=client_credentials}). */
    public String tokenEndpoint() {
        return issuer() + "/oauth2/token";
    }

    private RegisteredClientRepository registeredClients() {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        List<RegisteredClient> registered = clients.entrySet().stream().map(client -> RegisteredClient
                .withId(UUID.nameUUIDFromBytes(client.getKey().getBytes(StandardCharsets.UTF_8))
                        .toString())
                .clientId(client.getKey())
                .clientSecret(encoder.encode(client.getValue().secret()))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scopes(scopes -> scopes.addAll(client.getValue().scopes()))
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(TOKEN_LIFETIME).build())
                .build()).toList();
        Map<String, RegisteredClient> byClientId = new LinkedHashMap<>();
        registered.forEach(client -> byClientId.put(client.getClientId(), client));
        // Not InMemoryRegisteredClientRepository: it refuses an empty list, and a demo may have no client yet.
        return new RegisteredClientRepository() {
            @Override
            public void save(RegisteredClient client) {
                throw new UnsupportedOperationException("the demo's clients come from jembatan.sandbox.oauth2-clients");
            }

            @Override
            public RegisteredClient findById(String id) {
                return byClientId.values().stream().filter(c -> c.getId().equals(id)).findFirst().orElse(null);
            }

            @Override
            public RegisteredClient findByClientId(String clientId) {
                return byClientId.get(clientId);
            }
        };
    }

    private OAuth2TokenCustomizer<JwtEncodingContext> tokenCustomizer() {
        return token -> {
            String client = token.getRegisteredClient().getClientId();
            token.getClaims().audience(List.of(audience)).claim("client_id", client);
            List<String> roles = clients.get(client).roles();
            if (!roles.isEmpty()) {
                token.getClaims().claim("roles", roles);
            }
        };
    }

    /**
     * Its signing key, made at the first use (the first token or the first read of its key set), not at start: an RSA
     * key pair takes a JVM that has compiled nothing yet a visible part of a second. Made once, for every thread.
     */
    private static JWKSource<SecurityContext> signingKeys() {
        SingletonSupplier<ImmutableJWKSet<SecurityContext>> keys =
                SingletonSupplier.of(DemoAuthorizationServer::newKeys);
        return (selector, securityContext) -> keys.obtain().get(selector, securityContext);
    }

    private static ImmutableJWKSet<SecurityContext> newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                    .privateKey((RSAPrivateKey) pair.getPrivate())
                    .keyID(UUID.randomUUID().toString())
                    .build();
            return new ImmutableJWKSet<>(new JWKSet(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA missing from the JRE", e);
        }
    }

    /**
     * The authorization server's endpoints (token, metadata, JWKS, introspection, revocation): its filters. Only in
     * its own context: the bus's component scan finds this class too, and the bus is no authorization server.
     */
    @Configuration(proxyBeanMethods = false)
    @Conditional(Endpoints.InItsOwnContext.class)
    @EnableWebSecurity
    static class Endpoints {

        static final class InItsOwnContext implements ConfigurationCondition {

            @Override
            public ConfigurationPhase getConfigurationPhase() {
                return ConfigurationPhase.PARSE_CONFIGURATION;
            }

            @Override
            public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
                return context.getRegistry().containsBeanDefinition(SETTINGS_BEAN);
            }
        }

        @Bean
        SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
            OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
            http.securityMatcher(server.getEndpointsMatcher())
                    .with(server, Customizer.withDefaults())
                    .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
                    .csrf(csrf -> csrf.ignoringRequestMatchers(server.getEndpointsMatcher()));
            return http.build();
        }
    }
}
