package id.jembatan.it;

import id.jembatan.api.fhir.DeathReportProvider;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.sandbox.civilregistry.ReceivedNotification;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.DeathReported;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hospital reports a death in FHIR ({@code POST /fhir/Patient/$report-death}, a Patient with the NIK and
 * {@code deceasedDateTime}) instead of the JSON notification: the bus validates it with HAPI's R4 validator,
 * translates it to {@code DeathReported} and routes it as it routes the JSON one, with the same checks, audit and
 * answer; refusals are OperationOutcomes carrying the code.
 */
class FhirDeathReportIT extends BusTestSupport {

    private static final String REPORT_DEATH = "/fhir/Patient/$report-death";
    private static final String BANSOS_KEY = "demo-bansos-key";

    @Autowired
    private JdbcClient jdbc;

    /** A Patient as a hospital's system writes one at death: NIK, name, sex, birth date, deceasedDateTime. */
    private static Patient deceasedPatient(Citizen citizen, String deceasedDateTime) {
        Patient patient = new Patient();
        patient.setId("RM-" + citizen.nik().substring(12));
        patient.addIdentifier().setSystem(HealthFhir.NIK_SYSTEM).setValue(citizen.nik());
        patient.addName(new HumanName().setUse(HumanName.NameUse.OFFICIAL).setText(citizen.fullName()));
        patient.setGender(citizen.sex().name().equals("FEMALE") ? AdministrativeGender.FEMALE
                : AdministrativeGender.MALE);
        patient.setBirthDate(java.sql.Date.valueOf(citizen.birthDate()));
        if (deceasedDateTime != null) {
            patient.setDeceased(new DateTimeType(deceasedDateTime));
        }
        return patient;
    }

    private static String asJson(Patient patient) {
        return HealthFhir.context().newJsonParser().encodeResourceToString(patient);
    }

    private HttpResponse<String> report(String key, String contentType, String body) {
        return send(request(REPORT_DEATH, key).header("Content-Type", contentType)
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private static OperationOutcome outcome(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/fhir+json"));
        return HealthFhir.context().newJsonParser().parseResource(OperationOutcome.class, response.body());
    }

    /** The refusal's codes, one per issue (in {@code issue.details.coding}), and each issue's FHIRPath. */
    private static void assertRefused(HttpResponse<String> response, int status, String code, String expression) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        OperationOutcome outcome = outcome(response);
        assertThat(outcome.getIssue()).as(response.body()).anySatisfy(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
            assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo(code);
            if (expression != null) {
                assertThat(issue.getExpression()).extracting(e -> e.getValue()).anyMatch(e -> e.startsWith(expression));
            }
        });
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("HAPI-").doesNotContain("ca.uhn");
    }

    /**
     * Health reports, in FHIR JSON, the death of a registered citizen at 03:00 WIB yesterday, written in UTC (20:00Z
     * the day before),
     * then sends the same report again, and reports another citizen's death in FHIR XML. Result: 202 with an
     * informational OperationOutcome naming the notification id, the same id for the repeat; the civil registry's
     * inbox receives a DeathReported from health with yesterday's date (Asia/Jakarta) and the Patient's id as
     * reference, once; the audit chain has a NOTIFICATION entry ROUTED for it; the XML report is routed as well.
     */
    @Test
    void aFhirDeathReportReachesTheCivilRegistryAsTheJsonOneDoes() {
        Citizen citizen = registerCitizen();
        LocalDate yesterday = CitizenFixtures.today().minusDays(1);
        // 20:00 UTC the day before yesterday is 03:00 yesterday in Jakarta: the day of death is yesterday.
        String body = asJson(deceasedPatient(citizen, yesterday.minusDays(1) + "T20:00:00Z"));

        HttpResponse<String> accepted = report(HEALTH_KEY, "application/fhir+json", body);

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        OperationOutcome.OperationOutcomeIssueComponent issue = outcome(accepted).getIssueFirstRep();
        assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.INFORMATION);
        assertThat(issue.getDetails().getCodingFirstRep().getSystem())
                .isEqualTo(DeathReportProvider.NOTIFICATION_ID_SYSTEM);
        UUID notificationId = UUID.fromString(issue.getDetails().getCodingFirstRep().getCode());
        await().atMost(DEFAULT_WAIT).until(() -> !receivedByCivilRegistry(notificationId).isEmpty());
        ReceivedNotification received = receivedByCivilRegistry(notificationId).get(0);
        assertThat(received.reportedBy()).isEqualTo("health");
        DeathReported death = (DeathReported) received.notification();
        assertThat(death.nik()).isEqualTo(citizen.nik());
        assertThat(death.dateOfDeath()).isEqualTo(yesterday);
        assertThat(death.reference()).isEqualTo("RM-" + citizen.nik().substring(12));

        HttpResponse<String> again = report(HEALTH_KEY, "application/fhir+json", body);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(outcome(again).getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
                .isEqualTo(notificationId.toString());

        Citizen other = registerCitizen();
        String xml = HealthFhir.context().newXmlParser().encodeResourceToString(
                deceasedPatient(other, yesterday.toString()));
        HttpResponse<String> fromXml = report(HEALTH_KEY, "application/fhir+xml", xml);
        assertThat(fromXml.statusCode()).as(fromXml.body()).isEqualTo(202);
        UUID xmlId = UUID.fromString(outcome(fromXml).getIssueFirstRep().getDetails().getCodingFirstRep().getCode());
        // The inbox is one queue delivered in order: once the later report is there, a repeat would be too.
        await().atMost(DEFAULT_WAIT).until(() -> !receivedByCivilRegistry(xmlId).isEmpty());
        assertThat(receivedByCivilRegistry(notificationId)).hasSize(1);
        assertThat(jdbc.sql("SELECT outcome FROM audit_entry WHERE nik = ? AND action = 'NOTIFICATION'")
                .param(citizen.nik()).query(String.class).list()).contains("ROUTED");
    }

    /**
     * What the JSON notification refuses, refused in FHIR: a death in the future (DATE_IN_FUTURE), a malformed NIK
     * (NIK_INVALID_DATE), and an agency the policy does not let report deaths (bansos: 403 POLICY_DENIED, audited
     * DENIED). Result: OperationOutcomes with those codes; nothing reaches the civil registry.
     */
    @Test
    void theSameChecksAsTheJsonNotification() {
        Citizen citizen = registerCitizen();
        String tomorrow = CitizenFixtures.today().plusDays(2).toString();
        assertRefused(report(HEALTH_KEY, "application/fhir+json", asJson(deceasedPatient(citizen, tomorrow))), 400,
                "DATE_IN_FUTURE", null);

        Patient badNik = deceasedPatient(citizen, CitizenFixtures.today().toString());
        badNik.getIdentifierFirstRep().setValue("3171019999990001");
        assertRefused(report(HEALTH_KEY, "application/fhir+json", asJson(badNik)), 400, "NIK_INVALID_DATE", null);

        HttpResponse<String> denied = report(BANSOS_KEY, "application/fhir+json",
                asJson(deceasedPatient(citizen, CitizenFixtures.today().toString())));
        assertRefused(denied, 403, "POLICY_DENIED", null);
        assertThat(jdbc.sql("SELECT outcome FROM audit_entry WHERE nik = ? AND action = 'NOTIFICATION'"
                        + " AND agency = 'bansos'").param(citizen.nik()).query(String.class).list())
                .containsExactly("DENIED");
        assertThat(civilRegistryInbox.notifications()).noneMatch(n -> n.notification().subjectNik().equals(citizen.nik()));
    }

    /**
     * Bodies that are not a valid death report: not FHIR at all, another resource, an element FHIR does not define,
     * a gender outside its value set (HAPI's validator), no deceasedDateTime, a death given only as deceasedBoolean,
     * and a Content-Type that is not FHIR. Result: 400 SCHEMA_VIOLATION each, with the FHIRPath of the problem where
     * there is one; 415 for the media type; never a library's words.
     */
    @Test
    void aBodyThatIsNotAValidDeathReportIsRefusedWithItsProblem() {
        Citizen citizen = registerCitizen();
        String today = CitizenFixtures.today().toString();
        assertRefused(report(HEALTH_KEY, "application/fhir+json", "{\"resourceType\": \"Patient\", "),
                400, "SCHEMA_VIOLATION", "Patient");
        assertRefused(report(HEALTH_KEY, "application/fhir+json",
                "{\"resourceType\": \"Observation\", \"status\": \"final\"}"), 400, "SCHEMA_VIOLATION", "Patient");
        String unknownElement = asJson(deceasedPatient(citizen, today)).replaceFirst("\\{", "{\"colour\": \"blue\", ");
        assertRefused(report(HEALTH_KEY, "application/fhir+json", unknownElement), 400, "SCHEMA_VIOLATION",
                "Patient");
        String badGender = asJson(deceasedPatient(citizen, today)).replaceFirst("\"gender\":\"[a-z]+\"",
                "\"gender\":\"lelaki\"");
        assertRefused(report(HEALTH_KEY, "application/fhir+json", badGender), 400, "SCHEMA_VIOLATION",
                "Patient");
        assertRefused(report(HEALTH_KEY, "application/fhir+json", asJson(deceasedPatient(citizen, null))), 400,
                "SCHEMA_VIOLATION", "Patient.deceasedDateTime");
        Patient onlyBoolean = deceasedPatient(citizen, null);
        onlyBoolean.setDeceased(new org.hl7.fhir.r4.model.BooleanType(true));
        assertRefused(report(HEALTH_KEY, "application/fhir+json", asJson(onlyBoolean)), 400, "SCHEMA_VIOLATION",
                "Patient.deceasedDateTime");
        assertRefused(report(HEALTH_KEY, "text/plain", "a death"), 415, "UNSUPPORTED_MEDIA_TYPE", null);
        assertThat(civilRegistryInbox.notifications()).noneMatch(n -> n.notification().subjectNik().equals(citizen.nik()));
    }
}
