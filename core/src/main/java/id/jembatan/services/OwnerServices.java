package id.jembatan.services;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.agency.AgenciesSettings;
import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditTrail;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.connector.AgencyUnavailableException;
import id.jembatan.connector.service.OwnerAnswerInvalidException;
import id.jembatan.connector.service.OwnerServiceClient;
import id.jembatan.connector.service.OwnerServiceProtocol;
import id.jembatan.ingest.Channel;
import id.jembatan.policy.AccessPolicy;
import id.jembatan.policy.AccessPolicySettings;
import id.jembatan.quota.QuotaOperation;
import id.jembatan.quota.Quotas;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.validation.ServiceContract;
import id.jembatan.settings.InvalidConfigurationException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Service;

import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Owner services: an agency asks another the question only the owner can answer (the tax office: is this supplier a
 * taxpayer in good standing?) through the bus, in JSON, for a declared purpose. The bus checks the request against
 * the service's schema, the purpose against the access policy, asks the owner once in its own protocol (never again
 * by itself: a question is not assumed idempotent), checks the answer against the service's response schema, and
 * appends every call for a known purpose to the audit chain with its outcome, under the citizen's NIK when the
 * question or the answer names one (so it shows in that citizen's access log). An owner that keeps failing opens the
 * service's circuit breaker: callers get {@code 503 OWNER_UNAVAILABLE} at once until it is tried again.
 */
@Service
@DependsOn("configurationCheck")
public class OwnerServices {

    /** Audit outcomes of a call besides the error codes of a failed one. */
    public static final String OK = "OK";
    public static final String DENIED = "DENIED";
    public static final String OWNER_REFUSED = "OWNER_REFUSED";

    private static final Logger log = LoggerFactory.getLogger(OwnerServices.class);

    /** One service of the catalogue as a caller sees it. */
    public record CatalogueEntry(String owner, String service, String description, List<String> purposes,
                                 String requestSchema, String responseSchema) {
    }

    private record Offered(String owner, String service, OwnerServicesSettings.Offered settings,
                           ServiceContract contract, OwnerServiceClient client, CircuitBreaker breaker) {

        String key() {
            return owner + "/" + service;
        }
    }

    private final Map<String, Offered> offered = new LinkedHashMap<>();
    private final AccessPolicy policy;
    private final AuditTrail audit;
    private final Quotas quotas;

    public OwnerServices(OwnerServicesSettings settings, List<OwnerServiceProtocol> protocols, AccessPolicy policy,
                         AuditTrail audit, Quotas quotas) {
        this.policy = policy;
        this.audit = audit;
        this.quotas = quotas;
        Map<String, OwnerServiceProtocol> byType = protocols.stream()
                .collect(Collectors.toMap(OwnerServiceProtocol::type, Function.identity()));
        List<String> problems = new ArrayList<>();
        settings.services().forEach((owner, services) -> services.forEach((service, configured) -> {
            if (!byType.containsKey(configured.protocol())) {
                problems.add("jembatan.services." + owner + "." + service + ".protocol: unknown protocol '"
                        + configured.protocol() + "' (known: " + byType.keySet().stream().sorted()
                        .collect(Collectors.joining(", ")) + ")");
            }
        }));
        InvalidConfigurationException.throwIfAny(problems);
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        settings.services().forEach((owner, services) -> services.forEach((service, configured) -> {
            OwnerServicesSettings.CircuitBreaker circuit = configured.circuitBreaker();
            CircuitBreaker breaker = breakers.circuitBreaker(owner + "/" + service, CircuitBreakerConfig.custom()
                    .failureRateThreshold(circuit.failureRateThreshold())
                    .slidingWindowSize(circuit.slidingWindowSize())
                    .minimumNumberOfCalls(circuit.minimumCalls())
                    .waitDurationInOpenState(circuit.openFor())
                    .permittedNumberOfCallsInHalfOpenState(circuit.callsWhenHalfOpen())
                    .automaticTransitionFromOpenToHalfOpenEnabled(false)
                    .recordExceptions(AgencyUnavailableException.class)
                    .build());
            breaker.getEventPublisher().onStateTransition(event -> log.warn("Owner service {}: circuit {}",
                    event.getCircuitBreakerName(), event.getStateTransition()));
            OwnerServiceClient client = byType.get(configured.protocol())
                    .create(owner, URI.create(configured.url()), configured.timeout());
            offered.put(owner + "/" + service, new Offered(owner, service, configured,
                    new ServiceContract(owner, service), client, breaker));
        }));
    }

    /**
     * What is wrong with the owner services beyond their settings' own constraints, each problem naming its key: an
     * owner that is not a configured agency, a name that cannot be one, a service without published schemas, and a
     * service the access policy lets an agency call that nobody offers.
     */
    public static List<String> problems(OwnerServicesSettings settings, AgenciesSettings agencies,
                                        AccessPolicySettings policy) {
        List<String> problems = new ArrayList<>();
        settings.services().forEach((owner, services) -> {
            String key = "jembatan.services." + owner;
            if (!agencies.agencies().containsKey(owner)) {
                problems.add(key + ": unknown agency (configured agencies: " + agencies.agencies().keySet() + ")");
            }
            services.keySet().forEach(service -> {
                if (!ServiceContract.NAME.matcher(service).matches()) {
                    problems.add(key + "." + service + ": a service name is lower-case letters, digits and dashes,"
                            + " 2 to 23 characters");
                } else if (ServiceContract.OWNER.matcher(owner).matches()
                        && !ServiceContract.isPublished(owner, service)) {
                    problems.add(key + "." + service + ": no published schemas (schemas/v1/services/" + owner + "/"
                            + service + ".request.schema.json and .response.schema.json)");
                }
            });
        });
        policy.agencies().forEach((agency, rules) -> rules.services().forEach((owner, services) ->
                services.keySet().forEach(service -> {
                    if (!settings.services().getOrDefault(owner, Map.of()).containsKey(service)) {
                        problems.add("jembatan.access-policy.agencies." + agency + ".services." + owner + "."
                                + service + ": no such owner service (jembatan.services." + owner + "." + service
                                + ")");
                    }
                })));
        return problems;
    }

    /** The services {@code agency} may call, each with the purposes it may call it for and its schemas. */
    public List<CatalogueEntry> catalogue(String agency) {
        List<CatalogueEntry> entries = new ArrayList<>();
        for (Offered service : offered.values()) {
            Set<String> purposes = policy.servicePurposes(agency, service.owner(), service.service());
            if (!purposes.isEmpty()) {
                entries.add(new CatalogueEntry(service.owner(), service.service(), service.settings().description(),
                        purposes.stream().sorted().toList(),
                        ServiceContract.requestSchemaId(service.owner(), service.service()),
                        ServiceContract.responseSchemaId(service.owner(), service.service())));
            }
        }
        return entries;
    }

    /**
     * Asks {@code owner}'s {@code service} on behalf of {@code agency}.
     *
     * @param purposeSource how the caller declares the purpose, for the problem detail
     * @return the owner's answer, valid against the service's response schema
     * @throws JembatanException           {@code OWNER_SERVICE_NOT_FOUND} (404); the request's codes (400);
     *                                     {@code PURPOSE_REQUIRED}, {@code PURPOSE_UNKNOWN} (400); {@code POLICY_DENIED}
     *                                     (403); {@code OWNER_ANSWER_INVALID} (502); {@code AGENCY_REJECTED} (502,
     *                                     the owner refused the question)
     * @throws OwnerUnavailableException   {@code OWNER_UNAVAILABLE} (503) or {@code OWNER_TIMEOUT} (504)
     */
    public JsonNode call(String agency, String owner, String service, String purpose, String purposeSource,
                         byte[] body) {
        Offered called = offered.get(owner + "/" + service);
        if (called == null) {
            throw new JembatanException(ErrorCode.OWNER_SERVICE_NOT_FOUND, "no owner service " + printable(owner)
                    + "/" + printable(service) + " (GET /api/v1/services lists those this agency may call)");
        }
        JsonNode request = CanonicalJson.readBody(body);
        called.contract().checkRequest(request);
        if (purpose == null || purpose.isBlank()) {
            throw new JembatanException(ErrorCode.PURPOSE_REQUIRED, "declare the purpose of the call ("
                    + purposeSource + ")");
        }
        Set<String> allowed = policy.servicePurposes(agency, owner, service);
        if (!policy.isKnownPurpose(purpose)) {
            throw JembatanException.of(List.of(new FieldError(ErrorCode.PURPOSE_UNKNOWN, "/purpose",
                    "the " + purposeSource + " is not a purpose of the access policy" + (allowed.isEmpty() ? ""
                            : " (this agency's for this service: " + String.join(", ", sorted(allowed)) + ")"))));
        }
        String nik = request.path("nik").textValue();
        if (!allowed.contains(purpose)) {
            record(agency, nik, purpose, List.of(), DENIED, called);
            throw new JembatanException(ErrorCode.POLICY_DENIED, "agency '" + agency + "' may not call "
                    + called.key() + " for purpose '" + purpose + "'" + (allowed.isEmpty() ? ""
                    : " (its purposes for it: " + String.join(", ", sorted(allowed)) + ")"));
        }
        // Within the agency's quota for this purpose (429 RATE_LIMITED otherwise, neither asked nor audited).
        quotas.check(agency, purpose, QuotaOperation.OWNER_SERVICE);
        JsonNode answer;
        try {
            answer = ask(called, request);
        } catch (JembatanException failed) {
            record(agency, nik, purpose, List.of(), failed.code() == ErrorCode.AGENCY_REJECTED ? OWNER_REFUSED
                    : failed.code().name(), called);
            throw failed;
        }
        String about = nik != null ? nik : answer.path("nik").textValue();
        List<String> fields = new ArrayList<>();
        for (Iterator<String> names = answer.fieldNames(); names.hasNext(); ) {
            fields.add(called.key() + "." + names.next());
        }
        record(agency, about, purpose, fields, OK, called);
        log.info("Owner service {} asked by {} for {} about {}", called.key(), agency, purpose,
                about == null ? "a taxpayer without NIK" : Nik.mask(about));
        return answer;
    }

    /** Asks the owner once through the service's circuit breaker; the answer checked against the schema. */
    private static JsonNode ask(Offered called, JsonNode request) {
        CircuitBreaker breaker = called.breaker();
        if (!breaker.tryAcquirePermission()) {
            throw new OwnerUnavailableException(ErrorCode.OWNER_UNAVAILABLE, called.owner() + " failed too often"
                    + " lately; the bus does not ask it for now",
                    called.settings().circuitBreaker().openFor());
        }
        long start = breaker.getCurrentTimestamp();
        JsonNode answer;
        try {
            answer = called.client().ask(request);
        } catch (AgencyUnavailableException unavailable) {
            breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), unavailable);
            boolean timeout = unavailable.getCause() instanceof HttpTimeoutException;
            log.warn("Owner service {}: {}", called.key(), unavailable.getMessage());
            throw new OwnerUnavailableException(timeout ? ErrorCode.OWNER_TIMEOUT : ErrorCode.OWNER_UNAVAILABLE,
                    timeout ? called.owner() + " did not answer within " + called.settings().timeout()
                            + "; the question was not asked again"
                            : called.owner() + " could not be reached; the question was not asked again",
                    called.settings().retryAfter());
        } catch (OwnerAnswerInvalidException | AgencyRejectedException answeredBadly) {
            // The owner is there and answered: not a failure of the circuit. Its words stay in the log.
            breaker.onSuccess(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit());
            log.warn("Owner service {}: {}", called.key(), answeredBadly.getMessage());
            throw answeredBadly instanceof AgencyRejectedException
                    ? new JembatanException(ErrorCode.AGENCY_REJECTED, called.owner() + " refused the question of "
                    + called.key() + "; nothing was passed on") : invalidAnswer(called);
        } catch (RuntimeException other) {
            breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), other);
            throw other;
        }
        breaker.onSuccess(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit());
        List<FieldError> violations = called.contract().responseViolations(answer);
        if (!violations.isEmpty()) {
            log.warn("Owner service {} answered outside its schema: {}", called.key(), violations.get(0).message());
            throw invalidAnswer(called);
        }
        return answer;
    }

    private static OwnerAnswerInvalidException invalidAnswer(Offered called) {
        return new OwnerAnswerInvalidException(called.owner() + "'s answer does not match the response schema of "
                + called.key() + "; nothing was passed on");
    }

    private void record(String agency, String nik, String purpose, List<String> fields, String outcome,
                        Offered called) {
        audit.append(new AuditRecord(agency, nik, AuditAction.SERVICE_CALL, purpose, fields, Channel.HTTP.name(),
                outcome, called.key()));
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    /** A name from the URL, echoed only if it can be one. */
    private static String printable(String name) {
        return name != null && name.matches("[a-z0-9-]{1,40}") ? name : "(not a service name)";
    }
}
