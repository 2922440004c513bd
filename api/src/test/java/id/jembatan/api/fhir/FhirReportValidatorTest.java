package id.jembatan.api.fhir;

import id.jembatan.connector.health.HealthFhir;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HAPI's R4 validator as the bus runs it, on this module's classpath, which is the production jar's for it (no
 * Saxon, no xmlresolver; ICU4J for its messages): a death report passes, and what breaks the base specification is
 * found, each finding at its FHIRPath with its message, NIKs masked.
 */
class FhirReportValidatorTest {

    private static final FhirReportValidator VALIDATOR = new FhirReportValidator(HealthFhir.context());

    private static Patient report() {
        Patient patient = new Patient();
        patient.setId("RM-2026-004211");
        patient.addIdentifier().setSystem(HealthFhir.NIK_SYSTEM).setValue("3171014508990001");
        patient.setDeceased(new DateTimeType("2026-11-19T21:40:00+07:00"));
        return patient;
    }

    @Test
    void aDeathReportIsValid() {
        assertThat(VALIDATOR.errors(report())).isEmpty();
    }

    /**
     * A link without the other patient it must name (cardinality: a message the validator formats with ICU4J's plural
     * rules). Result: a SCHEMA_VIOLATION finding at Patient.link.
     */
    @Test
    void whatBreaksTheSpecificationIsFoundWhereItIs() {
        Patient patient = report();
        patient.addLink().setType(Patient.LinkType.SEEALSO);

        assertThat(VALIDATOR.errors(patient)).isNotEmpty()
                .allSatisfy(error -> assertThat(error.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION))
                .extracting(FieldError::pointer).anyMatch(p -> p.startsWith("Patient.link"));
        assertThat(VALIDATOR.errors(patient)).extracting(FieldError::message)
                .noneMatch(m -> m.contains("3171014508990001"));
    }
}
