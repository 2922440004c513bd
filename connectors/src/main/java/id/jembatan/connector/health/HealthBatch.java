package id.jembatan.connector.health;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.PreferReturnEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import id.jembatan.connector.AgencyUnavailableException;
import id.jembatan.connector.BatchResult;
import id.jembatan.schema.model.CitizenEvent;
import org.apache.http.NoHttpResponseException;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Several events of different citizens to the health agency's FHIR server in FHIR {@code batch} Bundles (POST to the
 * base; each entry processed and answered on its own, unlike a {@code transaction}, which merges identical conditional
 * creates and fails as a whole), with the guarantees of {@link HealthConnector}'s one-by-one path:
 * <ol>
 *   <li>births: one Bundle of conditional creates ({@code If-None-Exist} on the NIK); 201 is the whole delivery;</li>
 *   <li>every other event: one Bundle of searches by NIK, one of reads by id of the Patients found, then the event
 *       applied to what was read and one Bundle of updates by id with {@code If-Match} of the version read.</li>
 * </ol>
 * An entry that does not end there goes the one-by-one way afterwards (a birth whose Patient exists, a change whose
 * Patient is unknown or changed meanwhile: 409/412, an entry the server could not process now: 5xx), so it is read
 * and written again alone. An entry the server refused (4xx) is refused alone with the agency's OperationOutcome;
 * several Patients with the NIK alone for good. A Bundle the server refuses as a whole (HAPI FHIR's JPA server fails
 * a batch with 400 when one entry carries an invalid code; a server without batch support) sends the events one by
 * one, which finds the entry at fault; a server that cannot be reached fails the batch as a whole.
 */
final class HealthBatch {

    /** A Bundle the server refused as a whole: the events go one by one. */
    private static final class RefusedAsAWhole extends Exception {
        private static final long serialVersionUID = 1L;
    }

    private static final Logger LOG = LoggerFactory.getLogger(HealthBatch.class);

    private final IGenericClient client;
    private final HealthFailures failures;
    private final HealthTranslator translator;

    HealthBatch(IGenericClient client, HealthFailures failures, HealthTranslator translator) {
        this.client = client;
        this.failures = failures;
        this.translator = translator;
    }

    /**
     * @param births the events to send as conditional creates (births, where the server has conditional create)
     * @param alone  the one-by-one path for the events that need it
     */
    BatchResult deliverAll(List<CitizenEvent> events, List<Boolean> births, Consumer<CitizenEvent> alone) {
        BatchResult result = new BatchResult(events.size());
        TreeSet<Integer> oneByOne = new TreeSet<>();
        try {
            List<Integer> changes = create(events, births, result, oneByOne);
            Map<Integer, Patient> held = read(events, changes, result, oneByOne);
            update(events, held, result, oneByOne);
        } catch (RefusedAsAWhole refused) {
            for (int i = 0; i < events.size(); i++) {
                if (result.delivered(i) && result.refusal(i) == null) {
                    oneByOne.add(i);
                }
            }
        }
        for (int i : oneByOne) {
            try {
                alone.accept(events.get(i));
            } catch (AgencyUnavailableException down) {
                throw down;
            } catch (RuntimeException refused) {
                result.refuse(i, refused);
            }
        }
        return result;
    }

    /** Sends the births as conditional creates; returns the positions of the other events. */
    private List<Integer> create(List<CitizenEvent> events, List<Boolean> births, BatchResult result,
                                 TreeSet<Integer> oneByOne) throws RefusedAsAWhole {
        List<Integer> created = new ArrayList<>();
        List<Integer> changes = new ArrayList<>();
        Bundle bundle = batch();
        for (int i = 0; i < events.size(); i++) {
            if (!births.get(i)) {
                changes.add(i);
                continue;
            }
            CitizenEvent event = events.get(i);
            Patient patient = translator.newPatient(event);
            PatientEvents.tag(patient, event);
            bundle.addEntry().setResource(patient).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient")
                    .setIfNoneExist(Patient.SP_IDENTIFIER + "=" + nikToken(event));
            created.add(i);
        }
        if (created.isEmpty()) {
            return changes;
        }
        List<Bundle.BundleEntryComponent> answers = send(bundle, created.size(), true);
        for (int k = 0; k < created.size(); k++) {
            int i = created.get(k);
            Bundle.BundleEntryComponent answer = answers.get(k);
            int status = status(answer);
            if (status == 201) {
                continue;
            }
            if (status == 200) {
                // A Patient with the NIK exists: the birth takes the path of a change, alone.
                oneByOne.add(i);
            } else if (status == 412) {
                CitizenEvent event = events.get(i);
                result.refuse(i, failures.multipleMatches(event, event.subjectNik(), "its conditional create",
                        HealthFailures.agencyOutcome(refusal(answer)), null));
            } else {
                entryFailed(events, i, answer, result, oneByOne);
            }
        }
        return changes;
    }

    /**
     * Searches each change's Patient by NIK, then reads the one found by id; returns the Patients read, by the
     * position of their event.
     */
    private Map<Integer, Patient> read(List<CitizenEvent> events, List<Integer> changes, BatchResult result,
                                       TreeSet<Integer> oneByOne) throws RefusedAsAWhole {
        Map<Integer, Patient> held = new LinkedHashMap<>();
        if (changes.isEmpty()) {
            return held;
        }
        Bundle searches = batch();
        for (int i : changes) {
            searches.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET)
                    .setUrl("Patient?" + Patient.SP_IDENTIFIER + "=" + nikToken(events.get(i)) + "&_count=2");
        }
        List<Bundle.BundleEntryComponent> answers = send(searches, changes.size(), false);
        List<Integer> found = new ArrayList<>();
        Bundle reads = batch();
        for (int k = 0; k < changes.size(); k++) {
            int i = changes.get(k);
            Bundle.BundleEntryComponent answer = answers.get(k);
            if (status(answer) != 200 || !(answer.getResource() instanceof Bundle searchset)) {
                entryFailed(events, i, answer, result, oneByOne);
                continue;
            }
            List<IIdType> matches = PatientEvents.matches(searchset);
            CitizenEvent event = events.get(i);
            if (matches.size() > 1 || (searchset.hasTotal() && searchset.getTotal() > 1)) {
                result.refuse(i, failures.multipleMatches(event, event.subjectNik(), "a search",
                        HealthFailures.duplicateOutcome(event.subjectNik(), searchset, matches), null));
            } else if (matches.isEmpty()) {
                // Unknown to the agency: created alone (conditionally, or after a search of its own).
                oneByOne.add(i);
            } else {
                reads.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET)
                        .setUrl("Patient/" + matches.get(0).getIdPart());
                found.add(i);
            }
        }
        if (found.isEmpty()) {
            return held;
        }
        List<Bundle.BundleEntryComponent> read = send(reads, found.size(), false);
        for (int k = 0; k < found.size(); k++) {
            int i = found.get(k);
            Bundle.BundleEntryComponent answer = read.get(k);
            if (status(answer) == 200 && answer.getResource() instanceof Patient patient) {
                held.put(i, patient);
            } else {
                // Deleted since the search, or not readable now: alone.
                oneByOne.add(i);
            }
        }
        return held;
    }

    /** Applies each event to the Patient read and writes it back by id with If-Match of the version read. */
    private void update(List<CitizenEvent> events, Map<Integer, Patient> held, BatchResult result,
                        TreeSet<Integer> oneByOne) throws RefusedAsAWhole {
        List<Integer> written = new ArrayList<>();
        Bundle bundle = batch();
        for (Map.Entry<Integer, Patient> entry : held.entrySet()) {
            int i = entry.getKey();
            Patient patient = entry.getValue();
            CitizenEvent event = events.get(i);
            if (PatientEvents.applied(patient, event.eventId())) {
                continue;
            }
            String version = patient.getMeta().hasVersionId() ? patient.getMeta().getVersionId()
                    : patient.getIdElement().getVersionIdPart();
            translator.apply(event, patient);
            PatientEvents.tag(patient, event);
            IIdType id = patient.getIdElement().toUnqualifiedVersionless();
            patient.setId(id);
            Bundle.BundleEntryRequestComponent request = bundle.addEntry().setResource(patient).getRequest()
                    .setMethod(Bundle.HTTPVerb.PUT).setUrl("Patient/" + id.getIdPart());
            if (version != null) {
                request.setIfMatch("W/\"" + version + "\"");
            }
            written.add(i);
        }
        if (written.isEmpty()) {
            return;
        }
        List<Bundle.BundleEntryComponent> answers = send(bundle, written.size(), true);
        for (int k = 0; k < written.size(); k++) {
            int i = written.get(k);
            int status = status(answers.get(k));
            if (status == 409 || status == 412) {
                // Changed since it was read: read and written again alone.
                oneByOne.add(i);
            } else if (status < 200 || status > 299) {
                entryFailed(events, i, answers.get(k), result, oneByOne);
            }
        }
    }

    /** An entry that failed: refused alone when the server refused it (4xx), otherwise tried again alone. */
    private void entryFailed(List<CitizenEvent> events, int i, Bundle.BundleEntryComponent answer,
                             BatchResult result, TreeSet<Integer> oneByOne) {
        int status = status(answer);
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            CitizenEvent event = events.get(i);
            result.refuse(i, failures.failure(refusal(answer), event, event.subjectNik()));
        } else {
            oneByOne.add(i);
        }
    }

    private static Bundle batch() {
        return new Bundle().setType(Bundle.BundleType.BATCH);
    }

    /**
     * Posts the Bundle to the base and returns the batch-response's entries, one per request entry. Sent again (three
     * times at most) when a kept-alive connection turns out to have been closed with no answer: every entry is
     * conditional or by version, so a repeat changes nothing twice.
     *
     * @throws RefusedAsAWhole           the server refused the Bundle itself (4xx), or answered it entry by entry
     *                                   in a way that cannot be matched to the requests
     * @throws AgencyUnavailableException the server could not be reached or answered 5xx, 408 or 429
     */
    private List<Bundle.BundleEntryComponent> send(Bundle bundle, int entries, boolean writes)
            throws RefusedAsAWhole {
        for (int resent = 0; ; resent++) {
            try {
                var request = client.transaction().withBundle(bundle)
                        .cacheControl(new CacheControlDirective().setNoCache(true));
                if (writes) {
                    request = request.withAdditionalHeader("Prefer", "return=" + PreferReturnEnum.MINIMAL.getHeaderValue());
                }
                Bundle response = request.execute();
                if (response.getEntry().size() != entries) {
                    LOG.warn("The health agency answered a batch Bundle of {} entries with {}: its events go one by"
                            + " one", entries, response.getEntry().size());
                    throw new RefusedAsAWhole();
                }
                return response.getEntry();
            } catch (FhirClientConnectionException e) {
                if (resent < 3 && e.getCause() instanceof NoHttpResponseException) {
                    continue;
                }
                throw failures.batchFailure(e, entries);
            } catch (BaseServerResponseException e) {
                int status = e.getStatusCode();
                if (status >= 400 && status < 500 && status != 408 && status != 429) {
                    // One event at fault, or a server without batch Bundles (then: batch: false for the agency).
                    LOG.warn("The health agency refused a batch Bundle of {} entries as a whole (HTTP {}): its events"
                            + " go one by one", entries, status);
                    throw new RefusedAsAWhole();
                }
                throw failures.batchFailure(e, entries);
            }
        }
    }

    /** The entry's HTTP status, from {@code response.status} ("201 Created"); 0 when there is none. */
    private static int status(Bundle.BundleEntryComponent answer) {
        String status = answer.getResponse().getStatus();
        if (status == null || status.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(status.strip().split(" ", 2)[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The entry's refusal as the exception a single request would have thrown, with its OperationOutcome. */
    private static BaseServerResponseException refusal(Bundle.BundleEntryComponent answer) {
        int status = status(answer);
        Resource outcome = answer.getResponse().getOutcome();
        String diagnostics = outcome instanceof OperationOutcome o && o.hasIssue()
                ? o.getIssueFirstRep().getDiagnostics() : answer.getResponse().getStatus();
        BaseServerResponseException e = BaseServerResponseException.newInstance(status == 0 ? 500 : status,
                diagnostics);
        if (outcome instanceof OperationOutcome o) {
            e.setOperationOutcome(o);
        }
        return e;
    }

    private static String nikToken(CitizenEvent event) {
        return URLEncoder.encode(HealthFhir.NIK_SYSTEM + "|" + event.subjectNik(), StandardCharsets.UTF_8);
    }
}
