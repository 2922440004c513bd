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
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * For tests: a Patient in the SATUSEHAT style read back as the canonical citizen, the inverse of
 * {@link HealthTranslator}, so that a test compares what the health agency holds with the citizen it sent. The
 * citizen as far as a Patient tells it: NIK, mother's NIK, KK, name, sex, birth date, place of birth, marital status,
 * citizenship and home address; everything else is null. A baby known only by the mother's NIK gives a citizen with
 * a null NIK.
 */
public final class PatientReader {

    /** The RT/RW line {@link HealthTranslator} writes: "RT 001/RW 002", or only one of the two. */
    private static final Pattern RT_RW_LINE = Pattern.compile("RT ([^/\\s]+)/RW (\\S+)|RT ([^/\\s]+)|RW (\\S+)");

    private PatientReader() {
    }

    /** The citizen {@code patient} tells. */
    public static Citizen citizen(Patient patient) {
        Objects.requireNonNull(patient, "patient");
        return new Citizen(
                identifierValue(patient, HealthFhir.NIK_SYSTEM),
                identifierValue(patient, HealthFhir.FAMILY_CARD_SYSTEM),
                fullName(patient),
                birthPlace(patient),
                birthDate(patient),
                sex(patient.getGender()),
                null,
                maritalStatus(patient.getMaritalStatus()),
                null,
                nationality(patient),
                identifierValue(patient, HealthFhir.MOTHER_NIK_SYSTEM),
                null,
                canonicalAddress(patient));
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
        String code = extension == null ? null : primitive(extension.getValue());
        if ("WNI".equals(code)) {
            return Nationality.WNI;
        }
        return "WNA".equals(code) ? Nationality.WNA : null;
    }

    /** The registered full name a Patient carries: its official name's text, else its parts joined. */
    private static String fullName(Patient patient) {
        return patient.getName().stream().filter(PatientNames::isOfficial).findFirst()
                .map(name -> {
                    if (name.hasText()) {
                        return name.getText();
                    }
                    String joined = Stream.concat(name.getGiven().stream().map(PrimitiveType::getValue),
                                    Stream.of(name.getFamily()))
                            .filter(Objects::nonNull).collect(Collectors.joining(" "));
                    return joined.isEmpty() ? null : joined;
                })
                .orElse(null);
    }

    /** The registered address a Patient's home address tells, or null when it has none. */
    private static id.jembatan.schema.model.Address canonicalAddress(Patient patient) {
        Address address = patient.getAddress().stream().filter(PatientAddresses::isHome).findFirst().orElse(null);
        if (address == null) {
            return null;
        }
        Extension codes = address.getExtensionByUrl(HealthFhir.ADMINISTRATIVE_CODE_URL);
        String rt = part(codes, "rt");
        String rw = part(codes, "rw");
        List<String> streetLines = new ArrayList<>();
        for (StringType line : address.getLine()) {
            Matcher rtRw = line.getValue() == null ? null : RT_RW_LINE.matcher(line.getValue());
            if (rtRw != null && rtRw.matches()) {
                rt = rt != null ? rt : firstNonNull(rtRw.group(1), rtRw.group(3));
                rw = rw != null ? rw : firstNonNull(rtRw.group(2), rtRw.group(4));
            } else if (line.getValue() != null) {
                streetLines.add(line.getValue());
            }
        }
        Extension precinct = address.getExtensionByUrl(HealthFhir.PRECINCT_URL);
        return new id.jembatan.schema.model.Address(
                streetLines.isEmpty() ? null : String.join(", ", streetLines),
                rt,
                rw,
                part(codes, "village"),
                precinct == null ? null : primitive(precinct.getValue()),
                part(codes, "district"),
                address.getDistrict(),
                part(codes, "city"),
                address.getCity(),
                part(codes, "province"),
                address.getState(),
                address.getPostalCode());
    }

    private static String part(Extension administrativeCode, String url) {
        if (administrativeCode == null) {
            return null;
        }
        Extension part = administrativeCode.getExtensionByUrl(url);
        return part == null ? null : primitive(part.getValue());
    }

    /** The text of a primitive value (code, string), or null for anything else. */
    private static String primitive(Type value) {
        return value instanceof PrimitiveType<?> primitive ? primitive.getValueAsString() : null;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
