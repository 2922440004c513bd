package id.jembatan.api;

import id.jembatan.agency.AgencyDirectory;
import id.jembatan.agency.AgencySuspensions;
import id.jembatan.api.token.AccessTokens;
import id.jembatan.api.token.AgencyTokenConverter;
import id.jembatan.api.token.OAuth2Settings;
import id.jembatan.ingest.IngestSettings;
import id.jembatan.operations.CurrentOperator;
import id.jembatan.operator.OperatorDirectory;
import id.jembatan.schema.error.ErrorCode;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import java.time.Clock;
import java.util.Optional;

/**
 * Who may call what over HTTP: agencies and operators authenticate with {@code X-API-Key}, agencies also with an
 * OAuth2 access token when an issuer is configured ({@code jembatan.oauth2}) and with a registered client certificate
 * on the HTTPS port ({@link CertificateAuthenticationFilter}), operators with a token carrying the operator role;
 * the operator endpoints ({@code /api/v1/audit/**}, {@code /api/v1/operations/**}, {@code /actuator/info}) are for operators only, every
 * other API endpoint for agencies only; health statuses are open to anyone; refusals are in the caller's format
 * (401 {@code AGENCY_UNAUTHENTICATED}, 403 {@code OPERATOR_ONLY} or {@code POLICY_DENIED}; an OperationOutcome under
 * {@code /fhir}, problem+json elsewhere). Only once a caller is authenticated and allowed is its query string checked
 * and its body read ({@link RequestBodyFilter}: within the size and time limits); no body is read before. The
 * published contract (OpenAPI document, API page, schemas) is open to anyone for reading.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    /**
     * Endpoints for operators: checking the bus, not exchanging citizen data. {@code /actuator/info} is among them:
     * it names the bus's libraries and their versions, which tell an outsider what to try.
     */
    static final RequestMatcher OPERATOR_ENDPOINTS = new OrRequestMatcher(
            PathPatternRequestMatcher.withDefaults().matcher("/api/v1/audit/**"),
            PathPatternRequestMatcher.withDefaults().matcher("/api/v1/operations/**"),
            PathPatternRequestMatcher.withDefaults().matcher("/actuator/info"));

    /**
     * The published contract, open to anyone and read-only: the OpenAPI document, the API page, the JSON Schemas and
     * XSDs. None of it holds data.
     */
    static final String[] PUBLISHED_CONTRACT = {"/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/bundled",
        "/schemas/**", "/swagger-ui", "/swagger-ui/**", "/swagger-ui.html"};

    /**
     * Open statistics, open to anyone and read-only: counts without personal data (small cells withheld), their page
     * and the chart library it loads from the bus itself.
     */
    static final String[] OPEN_STATISTICS = {"/api/v1/statistics/**", "/statistics", "/statistics/**"};

    /** The operator console and its data: Hawtio, the Jolokia bridge to JMX, Prometheus. */
    static final RequestMatcher CONSOLE_PATHS = new OrRequestMatcher(
            PathPatternRequestMatcher.withDefaults().matcher("/actuator/hawtio/**"),
            PathPatternRequestMatcher.withDefaults().matcher("/actuator/jolokia/**"),
            PathPatternRequestMatcher.withDefaults().matcher("/actuator/prometheus"));

    /**
     * Spring Security observes nothing: no observation wrapped around each filter of each request, nor around the
     * authorization decision. With Micrometer on the class path it would otherwise decorate every filter, even with
     * its observations disabled by predicate; that cost 4-6% of a lookup's CPU in the profile (docs/performance.md).
     * Requests are still timed as a whole ({@code http.server.requests}).
     */
    @Bean
    static SecurityObservationSettings noSpringSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * The paths in {@code requestMatchers(String...)} below are matched as path patterns, as the operator endpoints'
     * matchers are ({@link PathPatternRequestMatcher}), not through Spring MVC's handler mappings
     * ({@code MvcRequestMatcher}, Spring Security 6's default, which asks the handler mapping introspector about every
     * request for every rule it tries). Same patterns, same decisions; Spring Security 7's default.
     */
    @Bean
    static PathPatternRequestMatcherBuilderFactoryBean requestMatchersAsPathPatterns() {
        return new PathPatternRequestMatcherBuilderFactoryBean();
    }

    /**
     * Spring Security's strict firewall with its default rules; its header checks without regular expressions
     * ({@link HeaderCharacters}).
     */
    @Bean
    static StrictHttpFirewall httpFirewall() {
        return HeaderCharacters.firewall();
    }

    /**
     * The operator a JMX operation invoked through the console (Hawtio's Jolokia bridge) acts for: the operator
     * signed in on that request's thread.
     */
    @Bean
    static CurrentOperator consoleOperator() {
        return () -> Optional.ofNullable(SecurityContextHolder.getContext().getAuthentication())
                .filter(Authentication::isAuthenticated)
                .filter(a -> a.getAuthorities().stream()
                        .anyMatch(r -> ("ROLE_" + ApiKeyAuthentication.OPERATOR_ROLE).equals(r.getAuthority())))
                .map(Authentication::getName);
    }

    /**
     * The console for operators in a browser: HTTP Basic, any user name, the operator key as password (the
     * browser asks once and sends it with Hawtio's Jolokia calls too); automation may send {@code X-API-Key}.
     * Agencies' keys are refused here.
     */
    @Bean
    @Order(1)
    SecurityFilterChain consoleSecurity(HttpSecurity http, AgencyDirectory agencies, OperatorDirectory operators,
                                        Refusals refusals, IngestSettings ingest, HttpSettings settings)
            throws Exception {
        AuthenticationManager operatorKeys = authentication -> operators
                .authenticate(String.valueOf(authentication.getCredentials()))
                .map(operator -> (Authentication) ApiKeyAuthentication.operator(operator))
                .orElseThrow(() -> new BadCredentialsException("not an operator key"));
        http.securityMatcher(CONSOLE_PATHS)
                .csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authenticationManager(operatorKeys)
                .httpBasic(basic -> basic.realmName("Jembatan operators"))
                .authorizeHttpRequests(auth -> auth.anyRequest().hasRole(ApiKeyAuthentication.OPERATOR_ROLE))
                .addFilterBefore(new ApiKeyAuthenticationFilter(agencies, operators, refusals),
                        BasicAuthenticationFilter.class);
        readAfterAuthorization(http, refusals, ingest, settings);
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiSecurity(HttpSecurity http, AgencyDirectory agencies, OperatorDirectory operators,
                                    Refusals refusals, IngestSettings ingest, HttpSettings settings,
                                    OAuth2Settings tokens, Clock clock, AgencySuspensions suspensions)
            throws Exception {
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(HttpMethod.GET, PUBLISHED_CONTRACT).permitAll()
                        .requestMatchers(HttpMethod.GET, OPEN_STATISTICS).permitAll()
                        .requestMatchers(OPERATOR_ENDPOINTS).hasRole(ApiKeyAuthentication.OPERATOR_ROLE)
                        .requestMatchers("/api/v1/**", "/fhir/**").hasRole(ApiKeyAuthentication.AGENCY_ROLE)
                        .anyRequest().denyAll())
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> refusals.write(request, response,
                                ErrorCode.AGENCY_UNAUTHENTICATED, "Send the agency's API key in the "
                                        + ApiKeyAuthenticationFilter.HEADER + " header"
                                        + (tokens.enabled() ? " or its access token as Authorization: Bearer" : "")))
                        .accessDeniedHandler((request, response, ex) -> {
                            if (OPERATOR_ENDPOINTS.matches(request)) {
                                refusals.write(request, response, ErrorCode.OPERATOR_ONLY,
                                        "Only operators may use this resource");
                            } else {
                                refusals.write(request, response, ErrorCode.POLICY_DENIED,
                                        "This caller may not use this resource");
                            }
                        }))
                .addFilterBefore(new ApiKeyAuthenticationFilter(agencies, operators, refusals),
                        AnonymousAuthenticationFilter.class)
                // A client certificate (mutual TLS on the HTTPS port) signs an agency in when no key or token does.
                .addFilterBefore(new CertificateAuthenticationFilter(agencies, refusals),
                        ApiKeyAuthenticationFilter.class);
        if (tokens.enabled()) {
            acceptAccessTokens(http, tokens, clock, agencies, refusals);
        }
        // However the agency signed in, a suspended one is refused before authorization.
        http.addFilterBefore(new SuspendedAgencyFilter(suspensions, refusals), AuthorizationFilter.class);
        readAfterAuthorization(http, refusals, ingest, settings);
        return http.build();
    }

    /**
     * Agencies may also sign in with an OAuth2 access token ({@code Authorization: Bearer}) of the configured issuer
     * ({@link AccessTokens}): its client is an agency ({@link AgencyTokenConverter}), its scopes the purposes it may
     * declare. A token that fails any check is refused as {@code AGENCY_UNAUTHENTICATED} in the caller's format, with
     * RFC 6750's {@code WWW-Authenticate} challenge and without saying which check failed.
     */
    private static void acceptAccessTokens(HttpSecurity http, OAuth2Settings tokens, Clock clock,
                                           AgencyDirectory agencies, Refusals refusals) throws Exception {
        http.oauth2ResourceServer(resource -> resource
                .jwt(jwt -> jwt.decoder(AccessTokens.decoder(tokens, clock))
                        .jwtAuthenticationConverter(new AgencyTokenConverter(agencies, tokens)))
                .authenticationEntryPoint((request, response, ex) -> {
                    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
                    refusals.write(request, response, ErrorCode.AGENCY_UNAUTHENTICATED,
                            "The access token is not valid for this bus");
                }));
    }

    /**
     * The query string is checked and the body read only after authorization: a caller refused at the door never
     * has its body read (the connector then closes the connection instead of draining it).
     */
    private static void readAfterAuthorization(HttpSecurity http, Refusals refusals, IngestSettings ingest,
                                               HttpSettings settings) {
        QueryStringFilter query = new QueryStringFilter(refusals);
        http.addFilterAfter(query, AuthorizationFilter.class)
                .addFilterAfter(new RequestBodyFilter(ingest.maxBodyBytes(), settings.operatorMaxBodyBytes(),
                        settings.requestBodyTimeout(), refusals), QueryStringFilter.class);
    }
}
