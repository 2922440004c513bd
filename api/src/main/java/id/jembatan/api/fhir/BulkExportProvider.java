package id.jembatan.api.fhir;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.export.BulkExportSettings;
import id.jembatan.export.BulkExports;
import id.jembatan.export.ExportJob;
import id.jembatan.export.ExportJob.ExportFile;
import id.jembatan.policy.AccessPolicy;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * FHIR Bulk Data export (Bulk Data Access IG STU2, https://hl7.org/fhir/uv/bulkdata/STU2/export.html) of the master
 * index as Patients, for the agencies allowed to ({@link BulkExports}):
 * <ul>
 *     <li>kick-off {@code GET /fhir/$export} or {@code /fhir/Patient/$export} with {@code Prefer: respond-async},
 *     optional {@code _type=Patient}, {@code _since}, {@code _outputFormat}: 202 with the status URL in
 *     {@code Content-Location};</li>
 *     <li>status {@code GET /fhir/$export-poll-status?_jobId=}: 202 with {@code X-Progress} and {@code Retry-After}
 *     while it runs, 200 with the completion manifest when done, the failure's OperationOutcome when it failed;
 *     {@code DELETE} cancels and removes the files;</li>
 *     <li>files {@code GET /fhir/$export-file?_jobId=&_file=}: NDJSON, one Patient per line, for the agency that
 *     kicked the export off only ({@code requiresAccessToken}: its API key or token).</li>
 * </ul>
 * Every refusal is an OperationOutcome with the stable code ({@link FhirRefusals}); a parameter this server does not
 * support ({@code _typeFilter}, {@code _elements}, {@code patient}, ...) is refused rather than ignored, so a client
 * never takes a partial export for the one it asked for.
 */
public class BulkExportProvider {

    /** The status operation. */
    public static final String POLL_STATUS = "$export-poll-status";

    /** The operation serving the files. */
    public static final String FILE = "$export-file";

    /** The parameter naming the job in the status and file URLs. */
    public static final String JOB_ID = "_jobId";

    /** The parameter naming a file of a job (its position, from 1). */
    public static final String FILE_NUMBER = "_file";

    private static final String OUTPUT_FORMAT = "_outputFormat";

    private static final Set<String> KICK_OFF_PARAMETERS = Set.of(Constants.PARAM_TYPE, Constants.PARAM_SINCE,
            OUTPUT_FORMAT);

    /** {@code application/fhir+ndjson} and the short forms the IG says a server should accept for it. */
    private static final Set<String> NDJSON = Set.of(Constants.CT_FHIR_NDJSON, Constants.CT_APP_NDJSON,
            Constants.CT_NDJSON);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BulkExports exports;
    private final AccessPolicy policy;
    private final BulkExportSettings settings;

    public BulkExportProvider(BulkExports exports, AccessPolicy policy, BulkExportSettings settings) {
        this.exports = exports;
        this.policy = policy;
        this.settings = settings;
    }

    /** {@code GET /fhir/$export}: the system-level kick-off; the bus holds Patients only. */
    @Operation(name = "$export", idempotent = true, manualResponse = true)
    public void exportSystem(ServletRequestDetails request) throws IOException {
        kickOff(request);
    }

    /** {@code GET /fhir/Patient/$export}: the kick-off for all Patients. */
    @Operation(name = "$export", type = Patient.class, idempotent = true, manualResponse = true)
    public void exportPatients(ServletRequestDetails request) throws IOException {
        kickOff(request);
    }

    /** {@code GET} (status) and {@code DELETE} (cancel) {@code /fhir/$export-poll-status?_jobId=}. */
    @Operation(name = POLL_STATUS, idempotent = true, deleteEnabled = true, manualResponse = true)
    public void pollStatus(ServletRequestDetails request) throws IOException {
        if (request.getRequestType() != RequestTypeEnum.DELETE) {
            getOnly(request);
        }
        only(request, Set.of(JOB_ID));
        FhirCaller caller = FhirCaller.of(request.getServletRequest(), policy);
        UUID id = jobId(request);
        HttpServletResponse response = request.getServletResponse();
        if (request.getRequestType() == RequestTypeEnum.DELETE) {
            if (!exports.cancel(caller.agency(), id)) {
                throw noSuchJob();
            }
            write(response, HttpServletResponse.SC_ACCEPTED, Constants.CT_FHIR_JSON_NEW,
                    information("the export is cancelled and its files are deleted"));
            return;
        }
        ExportJob job = exports.job(caller.agency(), id).orElseThrow(BulkExportProvider::noSuchJob);
        switch (job.state()) {
            case RUNNING -> {
                response.setStatus(HttpServletResponse.SC_ACCEPTED);
                response.setHeader(Constants.HEADER_X_PROGRESS, progress(job));
                response.setHeader(Constants.HEADER_RETRY_AFTER,
                        Long.toString(Math.max(1, settings.retryAfter().toSeconds())));
                response.setContentLength(0);
            }
            case COMPLETED -> write(response, HttpServletResponse.SC_OK, Constants.CT_JSON,
                    JSON.writeValueAsString(manifest(job, request.getFhirServerBase())));
            case FAILED -> {
                ErrorCode code = Optional.ofNullable(job.errorCode()).flatMap(BulkExportProvider::code)
                        .orElse(ErrorCode.INTERNAL_ERROR);
                throw FhirRefusals.coded(code, code == ErrorCode.EXPORT_INTERRUPTED
                        ? "the bus was restarted while this export ran; its files are deleted: kick off a new export"
                        : "the export failed and its files are deleted: kick off a new export");
            }
        }
    }

    /** {@code GET /fhir/$export-file?_jobId=&_file=}: one NDJSON file of a completed export. */
    @Operation(name = FILE, idempotent = true, manualResponse = true)
    public void file(ServletRequestDetails request) throws IOException {
        getOnly(request);
        only(request, Set.of(JOB_ID, FILE_NUMBER));
        FhirCaller caller = FhirCaller.of(request.getServletRequest(), policy);
        UUID id = jobId(request);
        int seq = parameter(request, FILE_NUMBER).filter(s -> s.matches("[1-9][0-9]{0,8}")).map(Integer::parseInt)
                .orElseThrow(() -> FhirRefusals.coded(ErrorCode.INVALID_QUERY_PARAMETER,
                        FILE_NUMBER + " must be the number of a file of the export's manifest"));
        Path file = exports.file(caller.agency(), id, seq).orElseThrow(BulkExportProvider::noSuchJob);
        HttpServletResponse response = request.getServletResponse();
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(Constants.CT_FHIR_NDJSON);
        response.setContentLengthLong(Files.size(file));
        try (OutputStream out = response.getOutputStream()) {
            Files.copy(file, out);
        }
    }

    private void kickOff(ServletRequestDetails request) throws IOException {
        getOnly(request);
        only(request, KICK_OFF_PARAMETERS);
        String prefer = request.getHeader(Constants.HEADER_PREFER);
        if (prefer == null || Arrays.stream(prefer.split(",")).map(String::trim)
                .noneMatch(Constants.HEADER_PREFER_RESPOND_ASYNC::equalsIgnoreCase)) {
            throw FhirRefusals.coded(ErrorCode.RESPOND_ASYNC_REQUIRED, "send the header "
                    + Constants.HEADER_PREFER + ": " + Constants.HEADER_PREFER_RESPOND_ASYNC
                    + " and poll the status URL the answer gives in " + Constants.HEADER_CONTENT_LOCATION);
        }
        for (String type : parameter(request, Constants.PARAM_TYPE).map(t -> t.split(",", -1))
                .orElse(new String[0])) {
            if (!BulkExports.PATIENT.equals(type.trim())) {
                throw FhirRefusals.coded(ErrorCode.INVALID_QUERY_PARAMETER, Constants.PARAM_TYPE
                        + " may only name Patient: the bus exports the citizens of its master index as Patients");
            }
        }
        Optional<String> format = parameter(request, OUTPUT_FORMAT);
        if (format.isPresent() && !NDJSON.contains(format.get())) {
            throw FhirRefusals.coded(ErrorCode.INVALID_QUERY_PARAMETER, OUTPUT_FORMAT + " may only be "
                    + Constants.CT_FHIR_NDJSON + " (or " + Constants.CT_APP_NDJSON + ", " + Constants.CT_NDJSON + ")");
        }
        OffsetDateTime since = parameter(request, Constants.PARAM_SINCE).map(BulkExportProvider::instant)
                .orElse(null);
        FhirCaller caller = FhirCaller.of(request.getServletRequest(), policy);
        if (!policy.isKnownPurpose(caller.purpose())) {
            throw FhirRefusals.coded(ErrorCode.PURPOSE_UNKNOWN, "the header " + FhirCaller.PURPOSE_HEADER
                    + " is not a purpose of the access policy");
        }
        ExportJob job;
        try {
            job = exports.start(caller.agency(), caller.purpose(), request.getCompleteUrl(), since);
        } catch (JembatanException e) {
            throw FhirRefusals.of(e);
        }
        HttpServletResponse response = request.getServletResponse();
        response.setHeader(Constants.HEADER_CONTENT_LOCATION, request.getFhirServerBase() + "/" + POLL_STATUS
                + "?" + JOB_ID + "=" + job.id());
        write(response, HttpServletResponse.SC_ACCEPTED, Constants.CT_FHIR_JSON_NEW,
                information("the export of " + job.total() + " Patients is kicked off; poll the URL in "
                        + Constants.HEADER_CONTENT_LOCATION));
    }

    /** The completion manifest of the IG: where the files are, how many Patients each holds. */
    static ObjectNode manifest(ExportJob job, String base) {
        ObjectNode manifest = JSON.createObjectNode();
        // A FHIR instant in UTC, whatever the JVM's time zone (InstantType would print the local offset).
        manifest.put("transactionTime", job.transactionTime().toInstant().truncatedTo(ChronoUnit.MILLIS).toString());
        manifest.put("request", job.request());
        manifest.put("requiresAccessToken", true);
        ArrayNode output = manifest.putArray("output");
        for (ExportFile file : job.files()) {
            output.addObject().put("type", BulkExports.PATIENT)
                    .put("url", base + "/" + FILE + "?" + JOB_ID + "=" + job.id() + "&" + FILE_NUMBER + "="
                            + file.seq())
                    .put("count", file.resources());
        }
        manifest.putArray("error");
        return manifest;
    }

    private static String progress(ExportJob job) {
        long percent = job.total() == 0 ? 0 : Math.min(100, job.exported() * 100 / job.total());
        return job.exported() + " of " + job.total() + " Patients (" + percent + "%)";
    }

    /**
     * Refuses a POST: the server would take one (the operations are idempotent), but the IG's POST kick-off carries
     * its parameters in a Parameters body this provider does not read, and a {@code _since} ignored would export
     * everyone.
     */
    private static void getOnly(ServletRequestDetails request) {
        if (request.getRequestType() != RequestTypeEnum.GET) {
            throw FhirRefusals.coded(ErrorCode.METHOD_NOT_ALLOWED, "send " + request.getOperation()
                    + " as GET with its parameters in the query string").addResponseHeader("Allow",
                    POLL_STATUS.equals(request.getOperation()) ? "GET, DELETE" : "GET");
        }
    }

    /** Refuses any parameter but {@code allowed}, and any given twice. */
    private static void only(ServletRequestDetails request, Set<String> allowed) {
        for (Map.Entry<String, String[]> parameter : request.getParameters().entrySet()) {
            if (!allowed.contains(parameter.getKey())) {
                throw FhirRefusals.coded(ErrorCode.INVALID_QUERY_PARAMETER, "a parameter this operation does not"
                        + " support; it takes " + String.join(", ", allowed.stream().sorted().toList()));
            }
            if (parameter.getValue().length != 1) {
                throw FhirRefusals.coded(ErrorCode.INVALID_QUERY_PARAMETER, parameter.getKey()
                        + " may be given once");
            }
        }
    }

    private static Optional<String> parameter(ServletRequestDetails request, String name) {
        String[] values = request.getParameters().get(name);
        return values == null || values.length == 0 ? Optional.empty() : Optional.of(values[0]);
    }

    private static UUID jobId(ServletRequestDetails request) {
        try {
            return UUID.fromString(parameter(request, JOB_ID).orElseThrow(IllegalArgumentException::new));
        } catch (IllegalArgumentException e) {
            throw FhirRefusals.coded(ErrorCode.INVALID_QUERY_PARAMETER, JOB_ID
                    + " must be the job id of the status URL the kick-off answered with");
        }
    }

    private static OffsetDateTime instant(String value) {
        try {
            InstantType instant = new InstantType(value);
            if (instant.getValue() == null || instant.getTimeZone() == null) {
                throw new IllegalArgumentException();
            }
            return instant.getValue().toInstant().atOffset(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            throw FhirRefusals.coded(ErrorCode.INVALID_QUERY_PARAMETER, Constants.PARAM_SINCE
                    + " must be a FHIR instant with a time zone, e.g. 2026-01-01T00:00:00Z");
        }
    }

    private static RuntimeException noSuchJob() {
        return FhirRefusals.coded(ErrorCode.RESOURCE_NOT_FOUND, "no such export of this agency: it was never"
                + " kicked off, was cancelled, or expired and was removed");
    }

    private static Optional<ErrorCode> code(String name) {
        return Arrays.stream(ErrorCode.values()).filter(c -> c.name().equals(name)).findFirst();
    }

    private static String information(String text) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
                .setDiagnostics(text);
        return HealthFhir.context().newJsonParser().encodeResourceToString(outcome);
    }

    private static void write(HttpServletResponse response, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(contentType + ";charset=UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
