package id.jembatan.connector.health;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.MaritalStatus;
import id.jembatan.schema.model.Nationality;
import id.jembatan.schema.model.Sex;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

import java.time.LocalDate;

/** A Patient in the SATUSEHAT style back into the canonical citizen, the inverse of {@link HealthTranslator}. */
final class PatientReader {

    private PatientReader() {
    }

    /** See {@link HealthTranslator#toCitizen(Patient)}. */
    static Citizen citizen(Patient patient) {
        return new Citizen(
                identifierValue(patient, HealthFhir.NIK_SYSTEM),
                identifierValue(patient, HealthFhir.FAMILY_CARD_SYSTEM),
                PatientNames.fullName(patient),
                birthPlace(patient),
                birthDate(patient),
                sex(patient.getGender()),
                null,
                maritalStatus(patient.getMaritalStatus()),
                null,
                nationality(patient),
                identifierValue(patient, HealthFhir.MOTHER_NIK_SYSTEM),
                null,
                PatientAddresses.canonicalAddress(patient));
    }

    private static String identifierValue(Patient patient, String system) {
        return patient.getIdentifier().stream()
                .filter(identifier -> system.equals(identifier.getSystem()) && identifier.hasValue())
                .map(Identifier::getValue).findFirst().orElse(null);
    }

    private static MaritalStatus maritalStatus(CodeableConcept concept) {
        if (concept == null) {
            return null;
        }
        for (Coding coding : concept.getCoding()) {
            if (HealthFhir.MARITAL_STATUS_SYSTEM.equals(coding.getSystem()) && coding.getCode() != null) {
                return switch (coding.getCode()) {
                    case "S" -> MaritalStatus.SINGLE;
                    case "M" -> MaritalStatus.MARRIED;
                    case "D" -> MaritalStatus.DIVORCED;
                    case "W" -> MaritalStatus.WIDOWED;
                    // Annulled, separated, domestic partner...: the civil registry has no such status.
                    default -> null;
                };
            }
        }
        return null;
    }

    private static Sex sex(AdministrativeGender gender) {
        if (gender == AdministrativeGender.MALE) {
            return Sex.MALE;
        }
        return gender == AdministrativeGender.FEMALE ? Sex.FEMALE : null;
    }

    private static LocalDate birthDate(Patient patient) {
        DateType date = patient.getBirthDateElement();
        if (date == null || date.getValue() == null
                || date.getPrecision().ordinal() < TemporalPrecisionEnum.DAY.ordinal()) {
            // A year or year-month is not a civil registry birth date.
            return null;
        }
        return LocalDate.of(date.getYear(), date.getMonth() + 1, date.getDay());
    }

    private static String birthPlace(Patient patient) {
        Extension extension = patient.getExtensionByUrl(HealthFhir.BIRTH_PLACE_URL);
        if (extension != null && extension.getValue() instanceof Address place) {
            return place.getCity();
        }
        return null;
    }

    private static Nationality nationality(Patient patient) {
        Extension extension = patient.getExtensionByUrl(HealthFhir.CITIZENSHIP_STATUS_URL);
        String code = extension == null ? null : PatientAddresses.primitive(extension.getValue());
        if ("WNI".equals(code)) {
            return Nationality.WNI;
        }
        return "WNA".equals(code) ? Nationality.WNA : null;
    }
}
