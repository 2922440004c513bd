package id.jembatan.schema.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.Complaint;
import id.jembatan.schema.model.ComplaintStatus;
import id.jembatan.schema.model.ComplaintStatusChange;
import id.jembatan.schema.model.DeathReported;
import id.jembatan.schema.model.OwnerNotification;
import id.jembatan.schema.model.VerificationRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

class RequestValidatorTest {

    /** 10:00 in Jakarta on 1 December 2026. */
    private static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");
    private static final LocalDate TODAY = LocalDate.of(2026, 12, 1);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final RequestValidator VALIDATOR = new RequestValidator(CLOCK);

    private final CitizenFixtures fixtures = new CitizenFixtures(CLOCK);

    private static ObjectNode tree(String json) {
        return (ObjectNode) CanonicalJson.readBody(json.getBytes(StandardCharsets.UTF_8));
    }

    /** An RFC 3339 date-time in western Indonesian time, with seconds (toString would leave ":00" out). */
    private static String wib(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.ofHours(7)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private static List<FieldError> rejected(Supplier<?> validation) {
        JembatanException e = catchThrowableOfType(validation::get, JembatanException.class);
        assertThat(e).as("rejected").isNotNull();
        assertThat(e.code()).isEqualTo(e.errors().get(0).code());
        return e.errors();
    }

    private ObjectNode verifyRequest(Citizen citizen) {
        ObjectNode body = CanonicalJson.mapper().createObjectNode();
        body.put("nik", citizen.nik());
        body.put("fullName", citizen.fullName());
        body.put("birthDate", citizen.birthDate().toString());
        return body;
    }

    @Test
    void aWellFormedVerifyRequestIsBound() {
        Citizen citizen = fixtures.citizen();

        VerificationRequest request = VALIDATOR.verification(verifyRequest(citizen));

        assertThat(request).isEqualTo(new VerificationRequest(citizen.nik(), citizen.fullName(),
                citizen.birthDate()));
    }

    @Test
    void aVerifyRequestWithABadNikIsRefusedWithTheNikCodeAtItsPointer() {
        ObjectNode body = verifyRequest(fixtures.citizen());
        body.put("nik", "3171019999990001");

        assertThat(rejected(() -> VALIDATOR.verification(body)))
                .extracting(FieldError::code, FieldError::pointer)
                .containsExactly(tuple(ErrorCode.NIK_INVALID_DATE, "/nik"));
    }

    @Test
    void aVerifyRequestReportsSchemaAndNikErrorsTogether() {
        ObjectNode body = verifyRequest(fixtures.citizen());
        body.remove("fullName");
        body.put("birthDate", "05-08-1999");
        body.put("nik", "31710145089900");
        body.put("purpose", "curiosity");

        assertThat(rejected(() -> VALIDATOR.verification(body)))
                .extracting(FieldError::code, FieldError::pointer)
                .containsExactlyInAnyOrder(
                        tuple(ErrorCode.SCHEMA_VIOLATION, "/fullName"),
                        tuple(ErrorCode.SCHEMA_VIOLATION, "/birthDate"),
                        tuple(ErrorCode.SCHEMA_VIOLATION, "/purpose"),
                        tuple(ErrorCode.NIK_INVALID_LENGTH, "/nik"));
    }

    @Test
    void aVerifyRequestNameWithALineBreakIsASchemaViolation() {
        ObjectNode body = verifyRequest(fixtures.citizen());
        body.put("fullName", "Siti\nRahmawati");

        assertThat(rejected(() -> VALIDATOR.verification(body)))
                .extracting(FieldError::code, FieldError::pointer)
                .containsExactly(tuple(ErrorCode.SCHEMA_VIOLATION, "/fullName"));
    }

    @Test
    void aDeathReportIsBoundWithEveryField() {
        DeathReported report = fixtures.deathReport(fixtures.citizen().nik(), TODAY.minusDays(1));

        OwnerNotification bound = VALIDATOR.notification(tree(CitizenFixtures.json(report)));

        assertThat(bound).isEqualTo(report);
    }

    @Test
    void theOptionalFieldsOfADeathReportMayBeLeftOutOrNull() {
        DeathReported report = fixtures.deathReport(fixtures.citizen().nik(), TODAY);
        ObjectNode body = tree(CitizenFixtures.json(report));
        body.remove("reference");
        body.putNull("placeOfDeath");

        DeathReported bound = (DeathReported) VALIDATOR.notification(body);

        assertThat(bound.reference()).isNull();
        assertThat(bound.placeOfDeath()).isNull();
    }

    /**
     * An address the tax office reports, once with real region codes and once with a village that is not in its
     * district. Result: bound as AddressReported; ADDRESS_REGION_MISMATCH at /address/villageCode.
     */
    @Test
    void aReportedAddressIsHeldToTheRegionCodes() {
        String nik = fixtures.citizen().nik();
        id.jembatan.schema.model.Address address = fixtures.address();
        ObjectNode body = tree("{\"notificationId\":\"" + java.util.UUID.randomUUID() + "\",\"type\":\"AddressReported\","
                + "\"nik\":\"" + nik + "\",\"reportedAt\":\"2026-11-19T10:05:00+07:00\",\"address\":"
                + CanonicalJson.mapper().valueToTree(address) + "}");

        assertThat(VALIDATOR.notification(body)).isInstanceOfSatisfying(
                id.jembatan.schema.model.AddressReported.class, r -> assertThat(r.address()).isEqualTo(address));

        ObjectNode elsewhere = body.deepCopy();
        ((ObjectNode) elsewhere.get("address")).put("villageCode",
                address.districtCode().equals("317101") ? "3273011001" : "3171011001");
        assertThat(rejected(() -> VALIDATOR.notification(elsewhere)))
                .extracting(FieldError::code, FieldError::pointer)
                .contains(tuple(ErrorCode.ADDRESS_REGION_MISMATCH, "/address/villageCode"));
    }

    @Test
    void anUnknownNotificationTypeIsRefusedAtType() {
        ObjectNode body = tree(CitizenFixtures.json(fixtures.deathReport(fixtures.citizen().nik(), TODAY)));
        body.put("type", "DeathRegistered");

        assertThat(rejected(() -> VALIDATOR.notification(body)))
                .extracting(FieldError::code, FieldError::pointer, FieldError::message)
                .containsExactly(tuple(ErrorCode.SCHEMA_VIOLATION, "/type",
                        "type is not a known notification type; expected one of DeathReported, AddressReported"));
    }

    @Test
    void aDeathReportWithoutIdOrWithALongReferenceViolatesTheSchema() {
        ObjectNode body = tree(CitizenFixtures.json(fixtures.deathReport(fixtures.citizen().nik(), TODAY)));
        body.remove("notificationId");
        body.put("reference", "R".repeat(65));
        body.put("nik", "317101450899000A");

        assertThat(rejected(() -> VALIDATOR.notification(body)))
                .extracting(FieldError::code, FieldError::pointer)
                .containsExactlyInAnyOrder(
                        tuple(ErrorCode.SCHEMA_VIOLATION, "/notificationId"),
                        tuple(ErrorCode.SCHEMA_VIOLATION, "/reference"),
                        tuple(ErrorCode.NIK_INVALID_CHARACTERS, "/nik"));
    }

    @Test
    void aDeathAfterTodayInJakartaOrAReportFromTheFutureIsRefused() {
        DeathReported report = fixtures.deathReport(fixtures.citizen().nik(), TODAY.plusDays(1));
        ObjectNode body = tree(CitizenFixtures.json(report));
        body.put("reportedAt", wib(NOW.plusSeconds(600)));

        assertThat(rejected(() -> VALIDATOR.notification(body)))
                .extracting(FieldError::code, FieldError::pointer)
                .containsExactly(
                        tuple(ErrorCode.DATE_IN_FUTURE, "/reportedAt"),
                        tuple(ErrorCode.DATE_IN_FUTURE, "/dateOfDeath"));
    }

    @Test
    void aReportWithinTheAllowedClockSkewIsAccepted() {
        ObjectNode body = tree(CitizenFixtures.json(fixtures.deathReport(fixtures.citizen().nik(), TODAY)));
        body.put("reportedAt", wib(NOW.plusSeconds(240)));

        assertThat(VALIDATOR.notification(body).notificationId()).isNotNull();
    }

    @Test
    void aDeathReportBefore1900WithAnUnrealOffsetOrAHiddenCharacterIsRefused() {
        DeathReported report = fixtures.deathReport(fixtures.citizen().nik(), LocalDate.of(1899, 12, 31));
        ObjectNode body = tree(CitizenFixtures.json(report));
        body.put("reportedAt", "2026-11-30T10:00:00+14:30");
        body.put("placeOfDeath", "RSUD\u202E Tarakan");

        assertThat(rejected(() -> VALIDATOR.notification(body)))
                .extracting(FieldError::code, FieldError::pointer)
                .containsExactly(tuple(ErrorCode.FORBIDDEN_CHARACTER, "/placeOfDeath"));
        body.put("placeOfDeath", "RSUD Tarakan");
        assertThat(rejected(() -> VALIDATOR.notification(body)))
                .extracting(FieldError::code, FieldError::pointer)
                .containsExactly(
                        tuple(ErrorCode.DATE_OUT_OF_RANGE, "/reportedAt"),
                        tuple(ErrorCode.DATE_OUT_OF_RANGE, "/dateOfDeath"));
    }

    @Test
    void aBodyThatIsNotAnObjectIsMalformed() {
        assertThat(rejected(() -> VALIDATOR.notification(CanonicalJson.mapper().createArrayNode())))
                .extracting(FieldError::code).containsExactly(ErrorCode.MALFORMED_JSON);
    }

    @Test
    void aComplaintWithLineBreaksAndMarkupInItsTextIsBoundAsPlainText() {
        Complaint filed = fixtures.complaint(fixtures.citizen(), "SOCIAL_ASSISTANCE");
        ObjectNode body = tree(CitizenFixtures.json(filed));
        body.put("text", "Baris satu\r\nBaris <script>alert(1)</script> dua\tselesai");

        Complaint bound = VALIDATOR.complaint(body);

        assertThat(bound.complaintId()).isEqualTo(filed.complaintId());
        assertThat(bound.text()).isEqualTo("Baris satu\r\nBaris <script>alert(1)</script> dua\tselesai");
    }

    @Test
    void aComplaintWithAnUnknownRegionABadNikAHiddenCharacterOrFromTheFutureIsRefused() {
        ObjectNode body = tree(CitizenFixtures.json(fixtures.complaint(fixtures.citizen(), "SOCIAL_ASSISTANCE")));
        body.put("nik", "3171014508990000");
        body.put("regionCode", "3199");
        body.put("subject", "Bantuan\u202E belum diterima");
        body.put("text", "");

        assertThat(rejected(() -> VALIDATOR.complaint(body)))
                .extracting(FieldError::code, FieldError::pointer)
                .containsExactlyInAnyOrder(
                        tuple(ErrorCode.SCHEMA_VIOLATION, "/text"),
                        tuple(ErrorCode.NIK_INVALID_SERIAL, "/nik"),
                        tuple(ErrorCode.FORBIDDEN_CHARACTER, "/subject"),
                        tuple(ErrorCode.ADDRESS_UNKNOWN_REGION_CODE, "/regionCode"));

        ObjectNode future = tree(CitizenFixtures.json(fixtures.complaint(fixtures.citizen(), "SOCIAL_ASSISTANCE")));
        future.put("submittedAt", wib(NOW.plusSeconds(3600)));
        assertThat(rejected(() -> VALIDATOR.complaint(future)))
                .extracting(FieldError::code, FieldError::pointer)
                .containsExactly(tuple(ErrorCode.DATE_IN_FUTURE, "/submittedAt"));
    }

    @Test
    void aStatusChangeNeedsTheFieldItsStatusNamesAndOnlyAgenciesStatuses() {
        assertThat(VALIDATOR.complaintStatusChange(tree("{\"status\":\"RESOLVED\",\"resolution\":\"Disalurkan\"}")))
                .isEqualTo(new ComplaintStatusChange(ComplaintStatus.RESOLVED, "Disalurkan", null, null, null));
        assertThat(rejected(() -> VALIDATOR.complaintStatusChange(tree("{\"status\":\"REJECTED\"}"))))
                .extracting(FieldError::code).containsExactly(ErrorCode.SCHEMA_VIOLATION);
        assertThat(rejected(() -> VALIDATOR.complaintStatusChange(tree("{\"status\":\"FORWARDED\"}"))))
                .extracting(FieldError::code).containsExactly(ErrorCode.SCHEMA_VIOLATION);
        assertThat(rejected(() -> VALIDATOR.complaintStatusChange(tree("{\"status\":\"ESCALATED\"}"))))
                .extracting(FieldError::code, FieldError::pointer)
                .containsExactly(tuple(ErrorCode.SCHEMA_VIOLATION, "/status"));
    }

    @Test
    void statusesMoveForwardOnlyAndNeverAfterAFinalOne() {
        assertThat(ComplaintStatus.SUBMITTED.mayChangeTo(ComplaintStatus.IN_PROGRESS)).isTrue();
        assertThat(ComplaintStatus.ESCALATED.mayChangeTo(ComplaintStatus.RESOLVED)).isTrue();
        assertThat(ComplaintStatus.IN_PROGRESS.mayChangeTo(ComplaintStatus.IN_PROGRESS)).isFalse();
        assertThat(ComplaintStatus.IN_PROGRESS.mayChangeTo(ComplaintStatus.ESCALATED)).isFalse();
        assertThat(ComplaintStatus.RESOLVED.mayChangeTo(ComplaintStatus.IN_PROGRESS)).isFalse();
        assertThat(ComplaintStatus.REJECTED.mayChangeTo(ComplaintStatus.FORWARDED)).isFalse();
    }
}
