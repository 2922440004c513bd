package id.jembatan.connector.health;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PreferReturnEnum;
import ca.uhn.fhir.rest.api.RequestFormatParamStyleEnum;
import ca.uhn.fhir.rest.client.apache.ApacheHttpRequest;
import ca.uhn.fhir.rest.client.apache.ApacheRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.gclient.ICreateTyped;
import ca.uhn.fhir.rest.gclient.IUpdateExecutable;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.connector.AgencyUnavailableException;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.rules.Nik;
import org.apache.http.NoHttpResponseException;
import org.apache.http.client.config.RequestConfig;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Canonical life events to the health agency's HL7 FHIR R4 server as Patient resources identified by NIK: a
 * conditional update ({@code PUT Patient?identifier=<nik system>|<nik>}) of the Patient after the event, so that a
 * repeat leaves one Patient. Thread-safe. The agency's server must support conditional update and, for births,
 * conditional create ({@code If-None-Exist}) unless that is turned off.
 *
 * <p>A birth is first sent as a conditional create: when the agency has no Patient with the NIK yet, that one
 * request is the whole delivery. Every other event, and a birth whose NIK the agency already has, first reads the
 * Patient by NIK. A Patient that already carries the event's id in {@code meta.tag} (system
 * {@value HealthFhir#EVENT_ID_TAG_SYSTEM}) is left alone, so a redelivered event is not applied twice. Otherwise
 * the event is applied to the Patient read (a birth sets the registry's fields, a change changes its part) and
 * written back with {@code If-Match} of the version read, so a change made by the agency in between is not
 * overwritten: on 412 the Patient is read and the event applied once more. A citizen the agency does not know yet
 * (it may have subscribed after the birth) gets a new Patient with the NIK and what the event says.
 *
 * <p>Requests go through the HTTP connection pool of the shared FhirContext's client factory (HAPI's design);
 * this connector's timeouts are set on each of its requests, so connectors with different timeouts can coexist.
 */
public final class HealthConnector implements AgencyConnector {

    private static final Logger LOG = LoggerFactory.getLogger(HealthConnector.class);
    /** Any run of 16 digits in what the agency answers is treated as a NIK and masked before it is logged. */
    private static final Pattern NIK_LIKE = Pattern.compile("(?<!\\d)\\d{16}(?!\\d)");

    private final String baseUrl;
    private final IGenericClient client;
    private final HealthTranslator translator = new HealthTranslator();
    private final boolean conditionalCreate;

    /**
     * @param fhirBaseUrl the agency's FHIR base, e.g. {@code https://api-satusehat.kemkes.go.id/fhir-r4/v1}
     * @param timeout     the limit for connecting, for each wait on the socket and for a pooled connection
     */
    public HealthConnector(String fhirBaseUrl, Duration timeout) {
        this(fhirBaseUrl, timeout, true);
    }

    /**
     * @param conditionalCreate false for a server without conditional create: births are then read and written
     *                          like every other event (a search and a conditional update)
     */
    public HealthConnector(String fhirBaseUrl, Duration timeout, boolean conditionalCreate) {
        this.conditionalCreate = conditionalCreate;
        if (fhirBaseUrl == null || fhirBaseUrl.isBlank()) {
            throw new IllegalArgumentException("the health agency's FHIR base URL is missing");
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        this.baseUrl = fhirBaseUrl.strip();
        FhirContext context = HealthFhir.context();
        // HAPI builds every request through the context's client factory, whatever factory made the client: the
        // timeouts can only be this connector's own if they ride on each request (see RequestTimeouts).
        if (!(context.getRestfulClientFactory() instanceof ApacheRestfulClientFactory)) {
            throw new IllegalStateException("the health connector sets its timeouts on Apache HTTP requests, but the "
                    + "FhirContext's client factory is " + context.getRestfulClientFactory().getClass().getName());
        }
        // A factory of its own only to create the client: the shared factory's settings belong to every client.
        ApacheRestfulClientFactory factory = new ApacheRestfulClientFactory(context);
        // No GET /metadata before the first request: the connector must work while the agency's metadata is slow.
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        this.client = factory.newGenericClient(baseUrl);
        this.client.setEncoding(EncodingEnum.JSON);
        // JSON through Content-Type and Accept, not a _format parameter that would end up in the conditional URL.
        this.client.setFormatParamStyle(RequestFormatParamStyleEnum.NONE);
        this.client.registerInterceptor(new RequestTimeouts(timeout));
    }

    /**
     * @throws AgencyUnavailableException connection refused, timeout, 5xx, 408, 429, or two concurrent changes in a
     *                                    row (retry later)
     * @throws AgencyRejectedException    400, 422 or another 4xx (with the OperationOutcome's diagnostics), several
     *                                    Patients with the NIK, or an event without the data it is about
     */
    @Override
    public void deliver(CitizenEvent event) {
        Objects.requireNonNull(event, "event");
        if (event instanceof BirthRegistered birth && birth.citizen() == null) {
            throw new AgencyRejectedException(ErrorCode.TRANSLATION_FAILED, "BirthRegistered carries no citizen", null);
        }
        String nik = event.subjectNik();
        if (nik == null || event.eventId() == null) {
            throw new AgencyRejectedException(ErrorCode.TRANSLATION_FAILED,
                    event.eventType().wireName() + " without " + (nik == null ? "NIK" : "event id"), null);
        }
        Delivery delivery;
        try {
            try {
                delivery = write(event, nik);
            } catch (PreconditionFailedException changedMeanwhile) {
                delivery = write(event, nik);
            }
        } catch (PreconditionFailedException changedAgain) {
            throw new AgencyUnavailableException("the health agency's Patient with NIK " + Nik.mask(nik)
                    + " changed twice while " + event.eventType().wireName() + " was applied; try again later",
                    changedAgain);
        } catch (BaseServerResponseException e) {
            throw failure(e, event, nik);
        }
        // Debug, like the tax connector's: every delivery is in the audit chain; at INFO this line cost 1% of the CPU
        // of a delivery to three agencies (benchmark profile) and a line per event in the operators' log.
        LOG.debug("health {} {} NIK {}: {} {}", event.eventType().wireName(), event.eventId(), Nik.mask(nik),
                delivery.outcome(), delivery.patient());
    }

    private Delivery write(CitizenEvent event, String nik) {
        if (conditionalCreate && event instanceof BirthRegistered) {
            Delivery created = createIfAbsent(event, nik);
            if (created != null) {
                return created;
            }
        }
        Patient patient = find(nik);
        String expectedVersion = null;
        if (patient == null) {
            patient = translator.newPatient(event);
        } else if (applied(patient, event.eventId())) {
            return new Delivery("already applied, unchanged", reference(patient.getIdElement()));
        } else {
            expectedVersion = patient.getMeta().hasVersionId() ? patient.getMeta().getVersionId()
                    : patient.getIdElement().getVersionIdPart();
            translator.apply(event, patient);
        }
        tag(patient, event);
        // Prefer: return=minimal: only the status and Location are read, so the agency need not write the Patient
        // back nor this connector parse it (an agency that sends it all the same is understood as before).
        IUpdateExecutable update = client.update().resource(patient).conditional()
                .where(Patient.IDENTIFIER.exactly().systemAndCode(HealthFhir.NIK_SYSTEM, nik))
                .prefer(PreferReturnEnum.MINIMAL);
        if (expectedVersion != null) {
            update = update.withAdditionalHeader("If-Match", "W/\"" + expectedVersion + "\"");
        }
        MethodOutcome outcome = update.execute();
        String result = Boolean.TRUE.equals(outcome.getCreated()) ? "created" : "updated";
        return new Delivery(result, reference(outcome.getId()));
    }

    /**
     * A birth's Patient in one request, if the agency has none with the NIK yet (the usual case): a conditional
     * create ({@code POST Patient} with {@code If-None-Exist: identifier=<nik system>|<nik>}), which the agency answers
     * 201 when it created the Patient, or 200 without creating anything when a Patient with the NIK exists (the birth
     * was delivered before, or the agency registered the baby itself). Null in the second case, and when several
     * Patients match (412): the birth then takes the path of every other event, which reads the Patient and tells
     * those cases apart.
     */
    private Delivery createIfAbsent(CitizenEvent event, String nik) {
        Patient patient = translator.newPatient(event);
        tag(patient, event);
        // The header as FHIR has it (the search parameters alone; HAPI's own conditional() would send a whole URL).
        ICreateTyped create = client.create().resource(patient).prefer(PreferReturnEnum.MINIMAL)
                .withAdditionalHeader(Constants.HEADER_IF_NONE_EXIST, Patient.SP_IDENTIFIER + "="
                        + URLEncoder.encode(HealthFhir.NIK_SYSTEM + "|" + nik, StandardCharsets.UTF_8));
        MethodOutcome outcome;
        try {
            outcome = execute(create);
        } catch (PreconditionFailedException severalMatch) {
            return null;
        }
        return Boolean.TRUE.equals(outcome.getCreated()) ? new Delivery("created", reference(outcome.getId())) : null;
    }

    /**
     * Sends the conditional create, and again (three times at most, as Apache HttpClient does for idempotent
     * requests) when a kept-alive connection turns out to have been closed by the agency, with no answer at all:
     * HttpClient re-sends only idempotent methods by itself, and a POST is not, but a conditional create is (a
     * second one finds the Patient the first made).
     */
    private static MethodOutcome execute(ICreateTyped create) {
        for (int resent = 0; ; resent++) {
            try {
                return create.execute();
            } catch (FhirClientConnectionException e) {
                if (resent == 3 || !(e.getCause() instanceof NoHttpResponseException)) {
                    throw e;
                }
            }
        }
    }

    /** The one Patient with this NIK, or null; several are a duplicate only the agency can resolve. */
    private Patient find(String nik) {
        Bundle bundle = client.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode(HealthFhir.NIK_SYSTEM, nik))
                .returnBundle(Bundle.class)
                .execute();
        List<Patient> matches = bundle.getEntry().stream()
                .filter(entry -> entry.getResource() instanceof Patient)
                .filter(entry -> !entry.hasSearch() || entry.getSearch().getMode() != Bundle.SearchEntryMode.INCLUDE)
                .map(entry -> (Patient) entry.getResource())
                .toList();
        if (matches.size() > 1) {
            throw new AgencyRejectedException(ErrorCode.AGENCY_REJECTED, "the health agency holds " + matches.size()
                    + " Patients with NIK " + Nik.mask(nik) + ": a duplicate it has to merge first", null);
        }
        return matches.isEmpty() ? null : matches.get(0);
    }

    /** Marks the Patient as having had the event applied, so that a repeat of it is recognised. */
    private static void tag(Patient patient, CitizenEvent event) {
        patient.getMeta().addTag(HealthFhir.EVENT_ID_TAG_SYSTEM, event.eventId().toString(),
                event.eventType().wireName());
    }

    private static boolean applied(Patient patient, UUID eventId) {
        return patient.getMeta().getTag(HealthFhir.EVENT_ID_TAG_SYSTEM, eventId.toString()) != null;
    }

    private RuntimeException failure(BaseServerResponseException e, CitizenEvent event, String nik) {
        String request = event.eventType().wireName() + " of NIK " + Nik.mask(nik) + " to " + baseUrl;
        if (e instanceof FhirClientConnectionException) {
            // Refused, timed out, reset, or an answer that is not FHIR: HAPI reports all of them this way.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new AgencyUnavailableException("no usable answer from the health agency for " + request + ": "
                    + cause.getClass().getSimpleName() + " " + scrub(cause.getMessage()), e);
        }
        int status = e.getStatusCode();
        String detail = "health agency answered HTTP " + status + " to " + request + ": " + diagnostics(e);
        // 408 and 429 are the agency asking us to come back later, not a verdict on the event.
        if (status >= 500 || status == 408 || status == 429 || status < 400) {
            return new AgencyUnavailableException(detail, e);
        }
        return new AgencyRejectedException(ErrorCode.AGENCY_REJECTED, detail, e);
    }

    private static String diagnostics(BaseServerResponseException e) {
        IBaseOperationOutcome baseOutcome = e.getOperationOutcome();
        if (baseOutcome instanceof OperationOutcome outcome && outcome.hasIssue()) {
            return scrub(outcome.getIssue().stream()
                    .map(issue -> (issue.hasSeverity() ? issue.getSeverity().toCode() : "issue")
                            + (issue.hasCode() ? " " + issue.getCode().toCode() : "")
                            + (issue.hasDiagnostics() ? ": " + issue.getDiagnostics() : "")
                            + (issue.hasExpression() ? " @ " + issue.getExpression().get(0).getValue() : ""))
                    .collect(Collectors.joining("; ")));
        }
        return scrub(e.getMessage());
    }

    private static String scrub(String text) {
        if (text == null) {
            return "";
        }
        return NIK_LIKE.matcher(text).replaceAll(match -> Nik.mask(match.group()));
    }

    private static String reference(IIdType id) {
        return id == null || id.isEmpty() ? "Patient" : id.toUnqualified().getValue();
    }

    /**
     * This connector's timeouts on each of its requests. A request-level configuration replaces the pooled client's
     * default one as a whole: besides its timeouts that default holds only a proxy set through HAPI's factory
     * ({@code setProxy}), which is therefore not used; proxies from the JVM's {@code http(s).proxyHost} properties
     * are, because the pooled client routes through the system's proxy selector.
     */
    private static final class RequestTimeouts implements IClientInterceptor {

        private final RequestConfig config;

        RequestTimeouts(Duration timeout) {
            int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            this.config = RequestConfig.custom()
                    .setConnectTimeout(millis)
                    .setSocketTimeout(millis)
                    .setConnectionRequestTimeout(millis)
                    .build();
        }

        @Override
        public void interceptRequest(IHttpRequest request) {
            ((ApacheHttpRequest) request).getApacheRequest().setConfig(config);
        }

        @Override
        public void interceptResponse(IHttpResponse response) {
            // Nothing to do on the way back.
        }
    }

    /** What one delivery did, for the log line. */
    private record Delivery(String outcome, String patient) {
    }
}
