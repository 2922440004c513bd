package id.jembatan.connector.health;

import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link HealthTranslator#fromAgency}: a hospital's Patient at death into the bus's DeathReported notification. */
class HealthDeathReportTest {

    private static final UUID ID = UUID.fromString("6a1f3c2e-8d4b-4e7a-9c55-2f0d1b7e9a31");
    /** On the minute: OffsetDateTime.toString() would leave the seconds out, which the schema refuses. */
    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 11, 20, 8, 15, 0, 0, ZoneOffset.UTC);
    private final HealthTranslator translator = new HealthTranslator();

    private static Patient patient(String deceased) {
        Patient patient = new Patient();
        patient.setId("RM-2026-004211");
        patient.addIdentifier().setSystem(HealthFhir.NIK_SYSTEM).setValue("3171014508990001");
        patient.setDeceased(new DateTimeType(deceased));
        return patient;
    }

    @Test
    void aTimeWithAnOffsetGivesItsDayInJakarta() {
        ObjectNode report = translator.fromAgency(patient("2026-11-18T20:00:00Z"), ID, NOW);

        assertThat(report.toString()).isEqualTo("{\"notificationId\":\"" + ID + "\",\"type\":\"DeathReported\","
                + "\"nik\":\"3171014508990001\",\"dateOfDeath\":\"2026-11-19\","
                + "\"reportedAt\":\"2026-11-20T08:15:00Z\",\"reference\":\"RM-2026-004211\"}");
    }

    @Test
    void aDateIsTheDayOfDeath() {
        assertThat(translator.fromAgency(patient("2026-11-19"), ID, NOW).path("dateOfDeath").asText())
                .isEqualTo("2026-11-19");
    }

    @Test
    void withoutTheNikOrTheDayNothingIsReported() {
        Patient noNik = patient("2026-11");
        noNik.getIdentifier().clear();
        noNik.addIdentifier().setSystem("http://example.org/mrn").setValue("123");

        assertThatThrownBy(() -> translator.fromAgency(noNik, ID, NOW))
                .isInstanceOfSatisfying(JembatanException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::code, FieldError::pointer)
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple(ErrorCode.SCHEMA_VIOLATION, "Patient.identifier"),
                                org.assertj.core.groups.Tuple.tuple(ErrorCode.SCHEMA_VIOLATION,
                                        "Patient.deceasedDateTime")));
        Patient onlyBoolean = patient("2026-11-19");
        onlyBoolean.setDeceased(new BooleanType(true));
        assertThatThrownBy(() -> translator.fromAgency(onlyBoolean, ID, NOW)).isInstanceOf(JembatanException.class);
    }
}
