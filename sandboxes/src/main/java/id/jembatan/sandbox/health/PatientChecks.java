package id.jembatan.sandbox.health;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.schema.rules.Nik;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The health agency's own checks of a Patient written to it, as the sandbox makes them. */
final class PatientChecks {

    private PatientChecks() {
    }

    /**
     * The identifiers that make a Patient findable (NIK or, for a baby, mother's NIK) must be there and be
     * well-formed NIKs, one NIK only, a birth date not in the future and a death not before birth.
     *
     * @throws UnprocessableEntityException (422) with an OperationOutcome that says where, when anything is wrong
     */
    static void check(Patient patient) {
        OperationOutcome outcome = new OperationOutcome();
        List<Identifier> identifiers = patient.getIdentifier();
        List<String> niks = new ArrayList<>();
        boolean findable = false;
        for (int i = 0; i < identifiers.size(); i++) {
            Identifier identifier = identifiers.get(i);
            boolean nik = HealthFhir.NIK_SYSTEM.equals(identifier.getSystem());
            if (!nik && !HealthFhir.MOTHER_NIK_SYSTEM.equals(identifier.getSystem())) {
                continue;
            }
            findable = true;
            if (!Nik.isValid(identifier.getValue())) {
                issue(outcome, OperationOutcome.IssueType.VALUE, "Patient.identifier[" + i + "].value",
                        "not a valid NIK: " + Nik.mask(identifier.getValue()));
            } else if (nik && !niks.contains(identifier.getValue())) {
                niks.add(identifier.getValue());
            }
        }
        if (!findable) {
            issue(outcome, OperationOutcome.IssueType.REQUIRED, "Patient.identifier",
                    "a Patient needs an identifier with system " + HealthFhir.NIK_SYSTEM + " or "
                            + HealthFhir.MOTHER_NIK_SYSTEM);
        }
        if (niks.size() > 1) {
            issue(outcome, OperationOutcome.IssueType.BUSINESSRULE, "Patient.identifier",
                    "a Patient has one NIK, this one has " + niks.size());
        }
        // Today where it is latest on Earth (UTC+14): a birth today anywhere is not in the future. ISO dates of any
        // precision (1999, 1999-08, 1999-08-05) compare correctly as text against the full date.
        String today = LocalDate.now(ZoneOffset.ofHours(14)).toString();
        if (patient.hasBirthDate() && patient.getBirthDateElement().getValueAsString().compareTo(today) > 0) {
            issue(outcome, OperationOutcome.IssueType.BUSINESSRULE, "Patient.birthDate", "lies in the future");
        }
        if (patient.hasBirthDate() && patient.hasDeceasedDateTimeType()
                && patient.getDeceasedDateTimeType().getValue().before(patient.getBirthDate())) {
            issue(outcome, OperationOutcome.IssueType.BUSINESSRULE, "Patient.deceasedDateTime",
                    "lies before Patient.birthDate");
        }
        if (outcome.hasIssue()) {
            throw new UnprocessableEntityException(HealthFhir.context(), outcome);
        }
    }

    private static void issue(OperationOutcome outcome, OperationOutcome.IssueType type, String expression,
                              String diagnostics) {
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(type)
                .setDiagnostics(expression + ": " + diagnostics).addExpression(expression);
    }
}
