package id.jembatan.connector.health;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PreferReturnEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.gclient.ICreateTyped;
import ca.uhn.fhir.rest.gclient.IUpdateExecutable;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.connector.AgencyRejectedPermanentlyException;
import id.jembatan.connector.AgencyUnavailableException;
import id.jembatan.connector.BatchResult;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.rules.Nik;
import org.apache.http.NoHttpResponseException;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Canonical life events to the health agency's HL7 FHIR R4 server as Patient resources identified by NIK. Thread-safe.
 *
 * <p>The agency's Patient is never written with less than it holds: the connector finds it by NIK (a search that
 * asks the server not to answer from a cache, {@code Cache-Control: no-cache}: HAPI FHIR's JPA server reuses a
 * search's results for 60 s by default, so a search made just before the Patient was created would still say "none"),
 * reads it by id, applies what the event changes (a birth sets the registry's fields, a change changes its part; what
 * the agency added itself stays) and writes it back by id with {@code If-Match} of the version read. When someone
 * changed the Patient in between, the agency answers 409 (HAPI FHIR) or 412 (the FHIR specification): the Patient is
 * read again and the event applied once more, a few times, then the delivery is retried later. A Patient that
 * already carries the event's id in {@code meta.tag} (system {@value HealthFhir#EVENT_ID_TAG_SYSTEM}) is left alone,
 * so a redelivered event is not applied twice. A conditional update ({@code PUT Patient?identifier=}) is not used to
 * change a Patient: servers ignore {@code If-Match} on it (HAPI FHIR does), so it would replace whatever the agency
 * holds with what the bus built.
 *
 * <p>A citizen the agency does not know yet (the usual case for a birth, and possible for any event when the agency
 * subscribed late) gets a new Patient by conditional create ({@code If-None-Exist} on the NIK): for a birth that one
 * request is the whole delivery; when a Patient with the NIK exists after all, the event takes the path above. A
 * server without conditional create ({@code conditional-create: false}) gets a conditional update instead, after the
 * search found no Patient: in the moment between the two a Patient the agency creates itself would be replaced.
 *
 * <p>Several Patients with one NIK are a duplicate only the agency can resolve (merge them): the event is refused
 * for good ({@link AgencyRejectedPermanentlyException}, {@link ErrorCode#AGENCY_MULTIPLE_MATCHES}) with the
 * agency's OperationOutcome, or one saying which Patients matched, so that it is dead-lettered at once.
 *
 * <p>Requests go through the HTTP connection pool of the shared FhirContext's client factory (HAPI's design);
 * this connector's timeouts are set on each of its requests, so connectors with different timeouts can coexist
 * ({@link FhirClients}).
 */
public final class HealthConnector implements AgencyConnector {

    private static final Logger LOG = LoggerFactory.getLogger(HealthConnector.class);
    /** Reads and writes of one event before a Patient that keeps changing makes the delivery wait for a retry. */
    static final int WRITE_ATTEMPTS = 3;

    private final IGenericClient client;
    private final HealthFailures failures;
    private final HealthTranslator translator = new HealthTranslator();
    private final boolean conditionalCreate;
    /** Null when events go one by one even in a batch. */
    private final HealthBatch batch;

    /**
     * @param fhirBaseUrl the agency's FHIR base, e.g. {@code https://api-satusehat.kemkes.go.id/fhir-r4/v1}
     * @param timeout     the limit for connecting, for each wait on the socket and for a pooled connection
     */
    public HealthConnector(String fhirBaseUrl, Duration timeout) {
        this(fhirBaseUrl, timeout, true);
    }

    /**
     * @param conditionalCreate false for a server without conditional create: a Patient the agency does not hold
     *                          yet is then written by conditional update after a search found none
     */
    public HealthConnector(String fhirBaseUrl, Duration timeout, boolean conditionalCreate) {
        this(fhirBaseUrl, timeout, conditionalCreate, true);
    }

    /**
     * @param batch false for a server without FHIR {@code batch} Bundles: the events of a batch go one by one
     */
    public HealthConnector(String fhirBaseUrl, Duration timeout, boolean conditionalCreate, boolean batch) {
        this.conditionalCreate = conditionalCreate;
        if (fhirBaseUrl == null || fhirBaseUrl.isBlank()) {
            throw new IllegalArgumentException("the health agency's FHIR base URL is missing");
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        String baseUrl = fhirBaseUrl.strip();
        this.client = FhirClients.create(baseUrl, timeout);
        this.failures = new HealthFailures(baseUrl);
        this.batch = batch ? new HealthBatch(client, failures, translator) : null;
    }

    /**
     * @throws AgencyUnavailableException         connection refused, timeout, 5xx, 408, 429, or a Patient that kept
     *                                            changing while the event was applied (retry later)
     * @throws AgencyRejectedPermanentlyException several Patients with the NIK (with the agency's OperationOutcome)
     * @throws AgencyRejectedException            400, 422 or another 4xx (with the OperationOutcome's diagnostics),
     *                                            or an event without the data it is about
     */
    @Override
    public void deliver(CitizenEvent event) {
        String nik = check(event);
        Delivery delivery;
        try {
            delivery = write(event, nik);
        } catch (BaseServerResponseException e) {
            throw failures.failure(e, event, nik);
        }
        // Debug, like the tax connector's: every delivery is in the audit chain; at INFO this line costs CPU on every
        // delivery (docs/performance.md) and a line per event in the operators' log.
        LOG.debug("health {} {} NIK {}: {} {}", event.eventType().wireName(), event.eventId(), Nik.mask(nik),
                delivery.outcome(), delivery.patient());
    }

    /**
     * Several events of different citizens in FHIR {@code batch} Bundles ({@link HealthBatch}), with the same
     * guarantees as one by one; one by one for a single event or a server without batch Bundles.
     */
    @Override
    public BatchResult deliverAll(List<CitizenEvent> events) {
        if (batch == null || events.size() < 2) {
            return AgencyConnector.super.deliverAll(events);
        }
        BatchResult result = new BatchResult(events.size());
        List<CitizenEvent> sendable = new ArrayList<>(events.size());
        List<Integer> positions = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            try {
                check(events.get(i));
                sendable.add(events.get(i));
                positions.add(i);
            } catch (AgencyRejectedException refused) {
                result.refuse(i, refused);
            }
        }
        List<Boolean> births = sendable.stream().map(e -> conditionalCreate && e instanceof BirthRegistered).toList();
        BatchResult sent = batch.deliverAll(sendable, births, this::deliver);
        for (int k = 0; k < sendable.size(); k++) {
            if (sent.refusal(k) != null) {
                result.refuse(positions.get(k), sent.refusal(k));
            }
        }
        return result;
    }

    /** The event's NIK, or a refusal of an event without the data it is about. */
    private static String check(CitizenEvent event) {
        Objects.requireNonNull(event, "event");
        if (event instanceof BirthRegistered birth && birth.citizen() == null) {
            throw new AgencyRejectedException(ErrorCode.TRANSLATION_FAILED, "BirthRegistered carries no citizen", null);
        }
        String nik = event.subjectNik();
        if (nik == null || event.eventId() == null) {
            throw new AgencyRejectedException(ErrorCode.TRANSLATION_FAILED,
                    event.eventType().wireName() + " without " + (nik == null ? "NIK" : "event id"), null);
        }
        return nik;
    }

    private Delivery write(CitizenEvent event, String nik) {
        if (conditionalCreate && event instanceof BirthRegistered) {
            Delivery created = createIfAbsent(event, nik);
            if (created != null) {
                return created;
            }
        }
        BaseServerResponseException conflict = null;
        String conflictedVersion = null;
        for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
            Patient patient = read(event, nik);
            if (patient == null) {
                Delivery created = conditionalCreate ? createIfAbsent(event, nik) : createOrReplace(event, nik);
                if (created != null) {
                    return created;
                }
                // The agency created the Patient since the search: read it and apply the event to it.
                continue;
            }
            if (PatientEvents.applied(patient, event.eventId())) {
                return new Delivery("already applied, unchanged", reference(patient.getIdElement()));
            }
            String version = patient.getMeta().hasVersionId() ? patient.getMeta().getVersionId()
                    : patient.getIdElement().getVersionIdPart();
            if (conflict != null && Objects.equals(version, conflictedVersion)) {
                // Refused with 409/412 although nobody changed the Patient: that was not about its version.
                throw conflict;
            }
            translator.apply(event, patient);
            PatientEvents.tag(patient, event);
            try {
                return update(patient, version);
            } catch (ResourceVersionConflictException | PreconditionFailedException changedMeanwhile) {
                conflict = changedMeanwhile;
                conflictedVersion = version;
            }
        }
        throw new AgencyUnavailableException("the health agency's Patient with NIK " + Nik.mask(nik) + " changed "
                + WRITE_ATTEMPTS + " times while " + event.eventType().wireName() + " was applied; trying again later",
                conflict);
    }

    /**
     * The Patient with the NIK as the agency holds it now, or null: a search for its id that no cache may answer,
     * then a read by id (a search result may be a summary; the read is the whole Patient and its version).
     */
    private Patient read(CitizenEvent event, String nik) {
        Bundle bundle = client.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode(HealthFhir.NIK_SYSTEM, nik))
                // Two are enough to tell one from several.
                .count(2)
                .cacheControl(new CacheControlDirective().setNoCache(true))
                .returnBundle(Bundle.class)
                .execute();
        List<IIdType> matches = PatientEvents.matches(bundle);
        if (matches.size() > 1 || (bundle.hasTotal() && bundle.getTotal() > 1)) {
            throw failures.multipleMatches(event, nik, "a search",
                    HealthFailures.duplicateOutcome(nik, bundle, matches), null);
        }
        if (matches.isEmpty()) {
            return null;
        }
        try {
            return client.read().resource(Patient.class).withId(matches.get(0).getIdPart()).execute();
        } catch (ResourceNotFoundException | ResourceGoneException deletedSinceTheSearch) {
            return null;
        }
    }

    /** Writes the Patient back by id, only if the agency still holds the version it was read at. */
    private Delivery update(Patient patient, String version) {
        IIdType id = patient.getIdElement().toUnqualifiedVersionless();
        patient.setId(id);
        // Prefer: return=minimal: only the status and Location are read, so the agency need not write the Patient
        // back nor this connector parse it (an agency that sends it all the same is understood as before).
        IUpdateExecutable update = client.update().resource(patient).withId(id).prefer(PreferReturnEnum.MINIMAL);
        if (version != null) {
            update = update.withAdditionalHeader(Constants.HEADER_IF_MATCH, "W/\"" + version + "\"");
        }
        MethodOutcome outcome = update.execute();
        return new Delivery("updated", reference(outcome.getId() != null ? outcome.getId() : id));
    }

    /**
     * A new Patient for the event, if the agency has none with the NIK yet: a conditional create ({@code POST
     * Patient} with {@code If-None-Exist: identifier=<nik system>|<nik>}), which the agency answers 201 when it
     * created the Patient, or 200 without creating anything when a Patient with the NIK exists (the birth was
     * delivered before, or the agency registered the baby itself): null then, and the event takes the path of a
     * change. 412 means several Patients have the NIK.
     */
    private Delivery createIfAbsent(CitizenEvent event, String nik) {
        Patient patient = translator.newPatient(event);
        PatientEvents.tag(patient, event);
        // The header as FHIR has it (the search parameters alone; HAPI's own conditional() would send a whole URL).
        ICreateTyped create = client.create().resource(patient).prefer(PreferReturnEnum.MINIMAL)
                .withAdditionalHeader(Constants.HEADER_IF_NONE_EXIST, Patient.SP_IDENTIFIER + "="
                        + URLEncoder.encode(HealthFhir.NIK_SYSTEM + "|" + nik, StandardCharsets.UTF_8));
        MethodOutcome outcome;
        try {
            outcome = execute(create);
        } catch (PreconditionFailedException severalMatch) {
            throw failures.multipleMatches(event, nik, "its conditional create",
                    HealthFailures.agencyOutcome(severalMatch), severalMatch);
        }
        return Boolean.TRUE.equals(outcome.getCreated()) ? new Delivery("created", reference(outcome.getId())) : null;
    }

    /**
     * For a server without conditional create, after a search found no Patient with the NIK: a conditional update
     * on the NIK, which creates the Patient (or, should one have appeared since the search, replaces it).
     */
    private Delivery createOrReplace(CitizenEvent event, String nik) {
        Patient patient = translator.newPatient(event);
        PatientEvents.tag(patient, event);
        MethodOutcome outcome;
        try {
            outcome = client.update().resource(patient).conditional()
                    .where(Patient.IDENTIFIER.exactly().systemAndCode(HealthFhir.NIK_SYSTEM, nik))
                    .prefer(PreferReturnEnum.MINIMAL)
                    .execute();
        } catch (PreconditionFailedException severalMatch) {
            throw failures.multipleMatches(event, nik, "its conditional update",
                    HealthFailures.agencyOutcome(severalMatch), severalMatch);
        }
        String result = Boolean.TRUE.equals(outcome.getCreated()) ? "created" : "replaced";
        return new Delivery(result, reference(outcome.getId()));
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

    private static String reference(IIdType id) {
        return id == null || id.isEmpty() ? "Patient" : id.toUnqualified().getValue();
    }

    /** What one delivery did, for the log line. */
    private record Delivery(String outcome, String patient) {
    }
}
