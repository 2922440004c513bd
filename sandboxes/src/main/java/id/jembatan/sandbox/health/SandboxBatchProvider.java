package id.jembatan.sandbox.health;

import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.util.UrlUtil;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;

import java.util.List;
import java.util.Map;

/**
 * FHIR {@code batch} Bundles (POST to the base) for the health sandbox, answered entry by entry as HAPI FHIR's JPA
 * server answers them: each entry is processed on its own by the Patient store ({@link SandboxPatientProvider}: a
 * (conditional) create, an update by id with {@code If-Match}, a search by identifier, a read), and the
 * {@code batch-response} carries, in the same order, its status, location and version, or the OperationOutcome of its
 * refusal; a refused entry does not stop the others. A {@code transaction} Bundle is refused: the sandbox offers no
 * all-or-nothing processing.
 */
final class SandboxBatchProvider {

    private final SandboxPatientProvider store;

    SandboxBatchProvider(SandboxPatientProvider store) {
        this.store = store;
    }

    @Transaction
    public Bundle batch(@TransactionParam Bundle bundle, RequestDetails request) {
        if (bundle.getType() != Bundle.BundleType.BATCH) {
            throw new InvalidRequestException("the health sandbox answers batch Bundles only, not "
                    + (bundle.hasType() ? bundle.getType().toCode() : "a Bundle without type"));
        }
        Bundle response = new Bundle().setType(Bundle.BundleType.BATCHRESPONSE);
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            response.addEntry(answer(entry, request));
        }
        return response;
    }

    private Bundle.BundleEntryComponent answer(Bundle.BundleEntryComponent entry, RequestDetails request) {
        Bundle.BundleEntryComponent answer = new Bundle.BundleEntryComponent();
        try {
            Bundle.BundleEntryRequestComponent r = entry.getRequest();
            String url = r.getUrl() == null ? "" : r.getUrl();
            switch (r.hasMethod() ? r.getMethod() : Bundle.HTTPVerb.NULL) {
                case POST -> written(answer, store.create(patient(entry, url.equals("Patient")),
                        r.hasIfNoneExist() ? "Patient?" + r.getIfNoneExist() : null));
                case PUT -> {
                    IdType id = new IdType(url);
                    if (!"Patient".equals(id.getResourceType()) || !id.hasIdPart()) {
                        throw new InvalidRequestException("the health sandbox updates Patient/<id> in a batch");
                    }
                    if (r.hasIfMatch()) {
                        id = id.withVersion(r.getIfMatch().replaceAll("^W/\"|\"$", ""));
                    }
                    written(answer, store.update(id, patient(entry, true), null));
                }
                case GET -> read(answer, url, request);
                default -> throw new InvalidRequestException("the health sandbox answers POST, PUT and GET entries");
            }
        } catch (BaseServerResponseException refused) {
            OperationOutcome outcome = refused.getOperationOutcome() instanceof OperationOutcome o ? o
                    : new OperationOutcome();
            if (!outcome.hasIssue()) {
                outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                        .setCode(OperationOutcome.IssueType.PROCESSING).setDiagnostics(refused.getMessage());
            }
            answer.getResponse().setStatus(refused.getStatusCode() + " " + refused.getClass().getSimpleName())
                    .setOutcome(outcome);
        }
        return answer;
    }

    /** A search by identifier ({@code Patient?identifier=system|value}) as a searchset, or a read of Patient/id. */
    private void read(Bundle.BundleEntryComponent answer, String url, RequestDetails request) {
        int query = url.indexOf('?');
        if (query < 0) {
            answer.setResource(store.read(new IdType(url))).getResponse().setStatus("200 OK");
            return;
        }
        if (!url.substring(0, query).equals("Patient")) {
            throw new InvalidRequestException("the health sandbox searches Patients only");
        }
        Map<String, String[]> params = UrlUtil.parseQueryString(url.substring(query + 1));
        String[] identifier = params.get(Patient.SP_IDENTIFIER);
        if (identifier == null || identifier.length != 1) {
            throw new InvalidRequestException("the health sandbox searches by one identifier");
        }
        int bar = identifier[0].indexOf('|');
        TokenParam token = bar < 0 ? new TokenParam(identifier[0])
                : new TokenParam(identifier[0].substring(0, bar), identifier[0].substring(bar + 1));
        List<Patient> found = store.search(token, request);
        Bundle searchset = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(found.size());
        found.forEach(p -> searchset.addEntry().setResource(p).getSearch().setMode(Bundle.SearchEntryMode.MATCH));
        answer.setResource(searchset).getResponse().setStatus("200 OK");
    }

    private static Patient patient(Bundle.BundleEntryComponent entry, boolean patientUrl) {
        if (!patientUrl || !(entry.getResource() instanceof Patient patient)) {
            throw new InvalidRequestException("the health sandbox takes Patients only");
        }
        return patient;
    }

    private static void written(Bundle.BundleEntryComponent answer, MethodOutcome outcome) {
        IdType id = (IdType) outcome.getId();
        boolean created = Boolean.TRUE.equals(outcome.getCreated());
        answer.getResponse().setStatus(created ? "201 Created" : "200 OK")
                .setLocation(id.toUnqualified().getValue())
                .setEtag(id.hasVersionIdPart() ? "W/\"" + id.getVersionIdPart() + "\"" : null);
    }
}
