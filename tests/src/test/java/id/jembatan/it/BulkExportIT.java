package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.connector.health.R4Validator;
import id.jembatan.export.BulkExportSettings;
import id.jembatan.export.BulkExports;
import id.jembatan.schema.model.BirthRegistered;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * FHIR Bulk Data export ({@code $export}, Bulk Data Access IG STU2) on the bus, driven as the IG tells a client to:
 * a plain HTTP client kicks off with {@code Prefer: respond-async}, polls the {@code Content-Location} until the
 * completion manifest, and downloads each file of the manifest with the same API key.
 */
class BulkExportIT extends BusTestSupport {

    private static final String EXPORT = "/fhir/Patient/$export";

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private BulkExports exports;

    @Autowired
    private BulkExportSettings settings;

    /**
     * Three citizens are born (one then dies); health kicks off {@code /fhir/Patient/$export} with {@code _since} just
     * before them, follows the status URL and downloads the files. Result: 202 with a status URL; while it runs 202
     * with {@code X-Progress} and {@code Retry-After}; then a manifest with {@code transactionTime}, the request,
     * {@code requiresAccessToken: true}, Patient files whose counts add up to their lines and no errors; every line is
     * a Patient that passes HAPI's R4 validator, the three are there (the dead one with its date of death), with
     * health's lookup fields only (no family card, religion, occupation or father); each citizen's access log shows
     * health exported their data ({@code FHIR_EXPORT}, {@code EXPORTED}, the fields it got). A second export with
     * {@code _since} the first one's {@code transactionTime} holds a citizen born since and none of the three.
     */
    @Test
    void healthExportsPatientsWithItsFieldsAndEachCitizenSeesIt() throws Exception {
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1);
        List<BirthRegistered> births = List.of(citizens.birth(), citizens.birth(), citizens.birth());
        births.forEach(b -> assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(b)).statusCode())
                .isEqualTo(202));
        String dead = births.get(2).citizen().nik();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY,
                json(citizens.death(dead, births.get(2).citizen().birthDate().plusYears(1)))).statusCode())
                .isEqualTo(202);

        JsonNode manifest = exportToTheEnd(EXPORT + "?_type=Patient&_outputFormat=application%2Ffhir%2Bndjson"
                + "&_since=" + URLEncoder.encode(before.toString(), StandardCharsets.UTF_8));

        assertThat(manifest.path("transactionTime").asText()).isNotBlank();
        assertThat(manifest.path("request").asText()).contains("/fhir/Patient/$export").contains("_since=");
        assertThat(manifest.path("requiresAccessToken").asBoolean()).isTrue();
        assertThat(manifest.path("error").isArray() && manifest.path("error").isEmpty()).isTrue();
        Map<String, Patient> exported = download(manifest);
        for (BirthRegistered birth : births) {
            Patient patient = exported.get(birth.citizen().nik());
            assertThat(patient).as("exported %s", birth.citizen().nik()).isNotNull();
            assertThat(patient.getNameFirstRep().getText()).isEqualTo(birth.citizen().fullName());
            assertThat(patient.getIdentifier()).extracting(Identifier::getSystem)
                    .doesNotContain(HealthFhir.FAMILY_CARD_SYSTEM);
            String line = HealthFhir.context().newJsonParser().encodeResourceToString(patient);
            assertThat(line).doesNotContain(birth.citizen().familyCardNumber())
                    .doesNotContain(birth.citizen().religion().name());
            if (birth.citizen().fatherNik() != null) {
                assertThat(line).doesNotContain(birth.citizen().fatherNik());
            }
            JsonNode entry = exportEntry(birth.citizen().nik());
            assertThat(entry.path("agency").asText()).isEqualTo("health");
            assertThat(entry.path("purpose").asText()).isEqualTo("PATIENT_IDENTIFICATION");
            assertThat(entry.path("outcome").asText()).isEqualTo(BulkExports.EXPORTED);
            List<String> fields = new ArrayList<>();
            entry.path("fields").forEach(f -> fields.add(f.asText()));
            assertThat(fields).contains("nik", "fullName", "birthDate").doesNotContain("religion",
                    "familyCardNumber", "occupation", "fatherNik");
        }
        assertThat(exported.get(dead).getDeceasedDateTimeType().getValueAsString())
                .isEqualTo(births.get(2).citizen().birthDate().plusYears(1).toString());

        BirthRegistered later = citizens.birth();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(later)).statusCode()).isEqualTo(202);
        Map<String, Patient> since = download(exportToTheEnd(EXPORT + "?_since="
                + URLEncoder.encode(manifest.path("transactionTime").asText(), StandardCharsets.UTF_8)));
        assertThat(since).containsKey(later.citizen().nik());
        births.forEach(b -> assertThat(since).doesNotContainKey(b.citizen().nik()));
    }

    /**
     * Kick-offs the bus cannot answer as asked: without {@code Prefer: respond-async}; {@code _type=Observation};
     * {@code _outputFormat=text/csv}; {@code _typeFilter} (not supported); a {@code _since} without time zone; the tax
     * office (not allowed to export, though it has a lookup purpose); no key; a POST kick-off with its parameters
     * in a Parameters body (not read by the bus: a {@code _since} ignored would export everyone). Result:
     * OperationOutcomes with 400 {@code RESPOND_ASYNC_REQUIRED}, 400 {@code INVALID_QUERY_PARAMETER} (four times),
     * 403 {@code POLICY_DENIED}, 401 {@code AGENCY_UNAUTHENTICATED}, 405 {@code METHOD_NOT_ALLOWED} with
     * {@code Allow: GET}; no export was started.
     */
    @Test
    void kickOffsTheBusCannotAnswerAreRefusedWithTheirCode() {
        long before = jdbc.sql("SELECT COUNT(*) FROM bulk_export").query(Long.class).single();

        assertOutcome(send(request(EXPORT, HEALTH_KEY).GET()), 400, "RESPOND_ASYNC_REQUIRED");
        assertOutcome(kickOff("/fhir/$export?_type=Patient,Observation", HEALTH_KEY), 400, "INVALID_QUERY_PARAMETER");
        assertOutcome(kickOff(EXPORT + "?_outputFormat=text%2Fcsv", HEALTH_KEY), 400, "INVALID_QUERY_PARAMETER");
        assertOutcome(kickOff(EXPORT + "?_typeFilter=Patient%3Fgender%3Dfemale", HEALTH_KEY), 400,
                "INVALID_QUERY_PARAMETER");
        assertOutcome(kickOff(EXPORT + "?_since=2026-01-01T00:00:00", HEALTH_KEY), 400, "INVALID_QUERY_PARAMETER");
        assertOutcome(send(request(EXPORT, TAX_KEY).header("Prefer", "respond-async")
                .header("X-Purpose", "TAXPAYER_REGISTRATION").GET()), 403, "POLICY_DENIED");
        assertOutcome(kickOff(EXPORT, null), 401, "AGENCY_UNAUTHENTICATED");
        HttpResponse<String> post = send(request(EXPORT, HEALTH_KEY).header("Prefer", "respond-async")
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Parameters\",\"parameter\":["
                        + "{\"name\":\"_since\",\"valueInstant\":\"2026-01-01T00:00:00Z\"}]}")));
        assertOutcome(post, 405, "METHOD_NOT_ALLOWED");
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");

        assertThat(jdbc.sql("SELECT COUNT(*) FROM bulk_export").query(Long.class).single()).isEqualTo(before);
    }

    /**
     * Health kicks off a system-level {@code /fhir/$export} (of the last second's changes, {@code _outputFormat} the
     * IG's short form {@code ndjson}), then another agency polls its status URL and health
     * cancels it with {@code DELETE}. Result: the other agency is told there is no such export (404); the cancel is
     * 202; the status URL and the job's files are gone afterwards (404, folder removed).
     */
    @Test
    void anExportIsTheCallersOnlyAndACancelRemovesIt() {
        // Only what changed in the last second: an export of the whole shared bus would add an entry to the access
        // log of every citizen the other tests registered.
        HttpResponse<String> kickOff = kickOff("/fhir/$export?_outputFormat=ndjson&_since=" + URLEncoder.encode(
                OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1).toString(), StandardCharsets.UTF_8), HEALTH_KEY);
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow();

        assertOutcome(send(HttpRequest.newBuilder(URI.create(status)).header("X-API-Key", TAX_KEY)
                .header("X-Purpose", "TAXPAYER_REGISTRATION").GET()), 404, "RESOURCE_NOT_FOUND");
        HttpResponse<String> cancel = send(HttpRequest.newBuilder(URI.create(status)).header("X-API-Key", HEALTH_KEY)
                .DELETE());
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
        assertOutcome(send(HttpRequest.newBuilder(URI.create(status)).header("X-API-Key", HEALTH_KEY).GET()), 404,
                "RESOURCE_NOT_FOUND");
        String job = status.substring(status.indexOf("_jobId=") + "_jobId=".length());
        await().atMost(DEFAULT_WAIT).untilAsserted(() ->
                assertThat(settings.directory().resolve(job)).doesNotExist());
    }

    /**
     * A bus stopped while it exported for health (a restart or kill -9) leaves the job's row as running, and nothing
     * moves it on any more; here its last sign of life is an hour old. Result: health's status poll answers 500
     * {@code EXPORT_INTERRUPTED} as an OperationOutcome, telling it to kick off a new export, and the job counts no
     * more against health's limit of running exports.
     */
    @Test
    void anExportInterruptedByARestartFailsWithAClearError() {
        UUID id = UUID.randomUUID();
        OffsetDateTime anHourAgo = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);
        insertRunningExport(id, anHourAgo);

        HttpResponse<String> status = send(request("/fhir/$export-poll-status?_jobId=" + id, HEALTH_KEY).GET());

        OperationOutcome outcome = assertOutcome(status, 500, "EXPORT_INTERRUPTED");
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("kick off a new export");
        assertThat(jdbc.sql("SELECT state FROM bulk_export WHERE id = ?").param(id).query(String.class).single())
                .isEqualTo("FAILED");
    }

    /**
     * Health already has two exports running (here on another instance: rows with a fresh sign of life) and kicks
     * off a third. Result: 429 {@code RATE_LIMITED} with {@code Retry-After}, as an OperationOutcome; no job is added.
     */
    @Test
    void aThirdExportAtOnceIsRefusedUntilOneFinishes() {
        List<UUID> running = List.of(UUID.randomUUID(), UUID.randomUUID());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try {
            running.forEach(id -> insertRunningExport(id, now));
            long before = jdbc.sql("SELECT COUNT(*) FROM bulk_export").query(Long.class).single();

            HttpResponse<String> third = kickOff(EXPORT, HEALTH_KEY);

            assertOutcome(third, 429, "RATE_LIMITED");
            assertThat(third.headers().firstValue("Retry-After")).isPresent();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM bulk_export").query(Long.class).single()).isEqualTo(before);
        } finally {
            running.forEach(id -> jdbc.sql("DELETE FROM bulk_export WHERE id = ?").param(id).update());
        }
    }

    /**
     * A completed export outlives its retention (the sweep is run as of a time past it). Result: its status URL and
     * its file answer 404 and the file is deleted from the disk.
     */
    @Test
    void filesAreRemovedAfterTheRetention() throws Exception {
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(citizens.birth())).statusCode())
                .isEqualTo(202);
        AtomicReference<String> status = new AtomicReference<>();
        JsonNode manifest = exportToTheEnd(EXPORT + "?_since="
                + URLEncoder.encode(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1).toString(),
                StandardCharsets.UTF_8), status);
        String file = manifest.path("output").get(0).path("url").asText();
        assertThat(send(HttpRequest.newBuilder(URI.create(file)).header("X-API-Key", HEALTH_KEY).GET()).statusCode())
                .isEqualTo(200);

        assertThat(exports.removeExpired(OffsetDateTime.now(ZoneOffset.UTC).plusDays(1))).isPositive();

        assertOutcome(send(HttpRequest.newBuilder(URI.create(status.get())).header("X-API-Key", HEALTH_KEY).GET()),
                404, "RESOURCE_NOT_FOUND");
        assertOutcome(send(HttpRequest.newBuilder(URI.create(file)).header("X-API-Key", HEALTH_KEY).GET()), 404,
                "RESOURCE_NOT_FOUND");
        String job = status.get().substring(status.get().indexOf("_jobId=") + "_jobId=".length());
        assertThat(settings.directory().resolve(job)).doesNotExist();
    }

    /** A running export of health as an instance of the bus leaves it in the database, last alive at {@code alive}. */
    private void insertRunningExport(UUID id, OffsetDateTime alive) {
        jdbc.sql("INSERT INTO bulk_export (id, agency, purpose, request, state, transaction_time, total, exported,"
                        + " heartbeat_at) VALUES (?, 'health', 'PATIENT_IDENTIFICATION', ?, 'RUNNING', ?, 10, 3, ?)")
                .params(id, "http://127.0.0.1/fhir/Patient/$export", alive, alive)
                .update();
    }

    private JsonNode exportToTheEnd(String kickOffPath) throws Exception {
        return exportToTheEnd(kickOffPath, new AtomicReference<>());
    }

    /** Kicks off, then polls the status URL as the IG says (202 with progress, then 200): the manifest. */
    private JsonNode exportToTheEnd(String kickOffPath, AtomicReference<String> statusUrl) throws Exception {
        HttpResponse<String> kickOff = kickOff(kickOffPath, HEALTH_KEY);
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
        statusUrl.set(status);
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        await().atMost(DEFAULT_WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> poll = send(HttpRequest.newBuilder(URI.create(status))
                    .header("X-API-Key", HEALTH_KEY).header("Accept", "application/json").GET());
            if (poll.statusCode() == 202) {
                assertThat(poll.headers().firstValue("X-Progress")).isPresent();
                assertThat(poll.headers().firstValue("Retry-After")).hasValueSatisfying(s ->
                        assertThat(Integer.parseInt(s)).isPositive());
                return false;
            }
            last.set(poll);
            return true;
        });
        assertThat(last.get().statusCode()).as(last.get().body()).isEqualTo(200);
        assertThat(last.get().headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/json"));
        return JSON.readTree(last.get().body());
    }

    /** Every file of the manifest, each line validated: the Patients by NIK. */
    private Map<String, Patient> download(JsonNode manifest) {
        Map<String, Patient> patients = new HashMap<>();
        assertThat(manifest.path("output")).isNotEmpty();
        for (JsonNode output : manifest.path("output")) {
            assertThat(output.path("type").asText()).isEqualTo("Patient");
            HttpResponse<String> file = send(HttpRequest.newBuilder(URI.create(output.path("url").asText()))
                    .header("X-API-Key", HEALTH_KEY).header("Accept", "application/fhir+ndjson").GET());
            assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
            assertThat(file.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                    assertThat(t).startsWith("application/fhir+ndjson"));
            List<String> lines = file.body().lines().toList();
            assertThat(lines).hasSize(output.path("count").asInt());
            for (String line : lines) {
                assertThat(R4Validator.errors(line)).extracting(R4Validator::describe).as(line).isEmpty();
                Patient patient = HealthFhir.context().newJsonParser().parseResource(Patient.class, line);
                patients.put(patient.getIdentifier().stream().filter(i -> HealthFhir.NIK_SYSTEM.equals(i.getSystem()))
                        .findFirst().orElseThrow().getValue(), patient);
            }
        }
        return patients;
    }

    /** The newest export entry of the citizen's access log, as the citizen portal reads it. */
    private JsonNode exportEntry(String nik) {
        HttpResponse<String> log = get("/api/v1/citizens/" + nik + "/access-log", CITIZEN_PORTAL_KEY);
        assertThat(log.statusCode()).as(log.body()).isEqualTo(200);
        for (JsonNode item : read(log).path("items")) {
            if (BulkExports.CHANNEL.equals(item.path("channel").asText())) {
                return item;
            }
        }
        throw new AssertionError("no export in the access log of " + nik + ": " + log.body());
    }

    private HttpResponse<String> kickOff(String path, String key) {
        return send(request(path, key).header("Accept", "application/fhir+json").header("Prefer", "respond-async")
                .GET());
    }

    /** A refusal under /fhir: an OperationOutcome with the status and the code, nothing of the bus's insides. */
    private static OperationOutcome assertOutcome(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/fhir+json"));
        OperationOutcome outcome = HealthFhir.context().newJsonParser().parseResource(OperationOutcome.class,
                response.body());
        assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).as(response.body())
                .isEqualTo(code);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("HAPI");
        return outcome;
    }
}
