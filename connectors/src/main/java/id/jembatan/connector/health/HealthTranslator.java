package id.jembatan.connector.health;

import id.jembatan.connector.AgencyRejectedException;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.NotificationType;
import id.jembatan.schema.model.AddressChanged;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.CitizenSnapshot;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.schema.model.DivorceRegistered;
import id.jembatan.schema.model.MaritalStatus;
import id.jembatan.schema.model.MarriageRegistered;
import id.jembatan.schema.model.NameChanged;
import id.jembatan.schema.model.Sex;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.UUID;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Canonical citizens and life events into HL7 FHIR R4 Patient resources in the SATUSEHAT style. Pure and
 * thread-safe: no I/O, no shared mutable state; the clock only decides "today" for {@link #toPatient(Citizen)}.
 *
 * <p>Any optional field may be null (the access policy removes what the health agency may not receive): a null
 * field is left out of a new Patient and leaves the existing value of a Patient alone. The canonical fields FHIR has
 * no place for (religion, occupation, father's NIK, place of death, spouse's NIK) are not carried.
 */
public final class HealthTranslator {

    /** Civil dates (the first year of a baby) are counted in western Indonesian time unless an event says otherwise. */
    private static final ZoneId INDONESIA_WEST = ZoneId.of("Asia/Jakarta");
    private static final Set<String> REGISTRY_IDENTIFIERS =
            Set.of(HealthFhir.NIK_SYSTEM, HealthFhir.MOTHER_NIK_SYSTEM, HealthFhir.FAMILY_CARD_SYSTEM);

    private final Clock clock;

    /** A translator for which "today" is the date in western Indonesia (Asia/Jakarta). */
    public HealthTranslator() {
        this(Clock.system(INDONESIA_WEST));
    }

    /** A translator for which "today" is {@code clock}'s date in western Indonesia (fixed clocks in tests). */
    public HealthTranslator(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The Patient for a citizen as of today (see {@link #toPatient(Citizen, LocalDate)}). */
    public Patient toPatient(Citizen citizen) {
        return toPatient(citizen, clock.instant().atZone(INDONESIA_WEST).toLocalDate());
    }

    /** The Patient for a newly registered citizen, as of the day the birth was registered. */
    public Patient toPatient(BirthRegistered birth) {
        Objects.requireNonNull(birth, "birth");
        return toPatient(birth.citizen(), birth.occurredAt() == null ? null : birth.occurredAt().toLocalDate());
    }

    /**
     * The Patient for a citizen: identifiers NIK, KK and, for a baby under one year on {@code asOf} (or a citizen
     * without NIK), the mother's NIK, as SATUSEHAT identifies babies; the official name; gender; birth date; the
     * home address with the region codes; marital status; place of birth and citizenship.
     *
     * @param asOf the day on which the infant rule is decided; {@code null} means today
     * @throws AgencyRejectedException (TRANSLATION_FAILED) if the citizen has neither a NIK nor a mother's NIK
     */
    public Patient toPatient(Citizen citizen, LocalDate asOf) {
        if (citizen == null) {
            throw untranslatable("the event carries no citizen");
        }
        if (citizen.nik() == null && citizen.motherNik() == null) {
            throw untranslatable("a Patient needs the NIK or the mother's NIK, the citizen has neither");
        }
        LocalDate day = asOf != null ? asOf : clock.instant().atZone(INDONESIA_WEST).toLocalDate();
        Patient patient = new Patient();
        if (citizen.nik() != null) {
            patient.addIdentifier(officialIdentifier(HealthFhir.NIK_SYSTEM, citizen.nik()));
        }
        if (citizen.motherNik() != null && (citizen.nik() == null || isInfant(citizen.birthDate(), day))) {
            patient.addIdentifier(officialIdentifier(HealthFhir.MOTHER_NIK_SYSTEM, citizen.motherNik()));
        }
        if (citizen.familyCardNumber() != null) {
            patient.addIdentifier(new Identifier().setSystem(HealthFhir.FAMILY_CARD_SYSTEM)
                    .setValue(citizen.familyCardNumber()));
        }
        HumanName name = PatientNames.officialName(citizen.fullName());
        if (name != null) {
            patient.addName(name);
        }
        if (citizen.sex() != null) {
            patient.setGender(citizen.sex() == Sex.FEMALE ? AdministrativeGender.FEMALE : AdministrativeGender.MALE);
        }
        if (citizen.birthDate() != null) {
            patient.setBirthDateElement(new DateType(citizen.birthDate().toString()));
        }
        Address address = PatientAddresses.homeAddress(citizen.address());
        if (address != null) {
            patient.addAddress(address);
        }
        if (citizen.maritalStatus() != null) {
            patient.setMaritalStatus(maritalStatus(citizen.maritalStatus()));
        }
        if (citizen.birthPlace() != null && !citizen.birthPlace().isBlank()) {
            // Only the city: the registry's place of birth does not say the country (births abroad are registered).
            patient.addExtension(HealthFhir.BIRTH_PLACE_URL, new Address().setCity(citizen.birthPlace().strip()));
        }
        if (citizen.nationality() != null) {
            patient.addExtension(HealthFhir.CITIZENSHIP_STATUS_URL, new CodeType(citizen.nationality().name()));
        }
        return patient;
    }

    /** Whether someone born on {@code birthDate} is under one year old on {@code day} (SATUSEHAT's baby rule). */
    public static boolean isInfant(LocalDate birthDate, LocalDate day) {
        return birthDate != null && day != null && day.isBefore(birthDate.plusYears(1));
    }

    /**
     * A Patient for a citizen the health agency does not know yet (it may have subscribed after the birth): for a
     * birth the whole {@link #toPatient(BirthRegistered)}, otherwise the NIK and what the event says.
     */
    public Patient newPatient(CitizenEvent event) {
        Objects.requireNonNull(event, "event");
        if (event instanceof BirthRegistered birth) {
            return toPatient(birth);
        }
        if (event instanceof CitizenSnapshot snapshot) {
            Patient patient = toPatient(snapshot.citizen());
            deceased(snapshot, patient);
            return patient;
        }
        if (event.subjectNik() == null) {
            throw untranslatable(event.eventType().wireName() + " carries no NIK");
        }
        Patient patient = new Patient();
        patient.addIdentifier(officialIdentifier(HealthFhir.NIK_SYSTEM, event.subjectNik()));
        apply(event, patient);
        return patient;
    }

    /**
     * Changes an existing Patient as the event says: a birth sets every registry field it carries, a move replaces
     * the home address, a name change the official name, a marriage or divorce the marital status, a death sets
     * {@code deceasedDateTime} to the day of death. What the health agency added itself (telecom, other names or
     * addresses, other identifiers) stays.
     *
     * @throws AgencyRejectedException (TRANSLATION_FAILED) if the event lacks the field that is its whole point
     */
    public void apply(CitizenEvent event, Patient patient) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(patient, "patient");
        if (event instanceof BirthRegistered birth) {
            overlay(toPatient(birth), patient);
        } else if (event instanceof CitizenSnapshot snapshot) {
            // The whole current record: every registry field it carries, the death too.
            overlay(toPatient(snapshot.citizen()), patient);
            deceased(snapshot, patient);
        } else if (event instanceof DeathRegistered death) {
            if (death.dateOfDeath() == null) {
                throw untranslatable("DeathRegistered carries no date of death");
            }
            // The registry knows the day, not the hour: a date-only dateTime says exactly that.
            patient.setDeceased(new DateTimeType(death.dateOfDeath().toString()));
        } else if (event instanceof AddressChanged move) {
            Address address = PatientAddresses.homeAddress(move.address());
            if (address == null) {
                throw untranslatable("AddressChanged carries no address");
            }
            PatientAddresses.replaceHomeAddress(patient, address);
        } else if (event instanceof NameChanged rename) {
            HumanName name = PatientNames.officialName(rename.fullName());
            if (name == null) {
                throw untranslatable("NameChanged carries no name");
            }
            PatientNames.replaceOfficialName(patient, name);
        } else if (event instanceof MarriageRegistered) {
            patient.setMaritalStatus(maritalStatus(MaritalStatus.MARRIED));
        } else if (event instanceof DivorceRegistered) {
            patient.setMaritalStatus(maritalStatus(MaritalStatus.DIVORCED));
        } else {
            throw untranslatable("no FHIR mapping for " + event.getClass().getSimpleName());
        }
    }

    /** A snapshot of a deceased citizen sets {@code deceasedDateTime}, as their death did. */
    private static void deceased(CitizenSnapshot snapshot, Patient patient) {
        if (snapshot.dateOfDeath() != null) {
            patient.setDeceased(new DateTimeType(snapshot.dateOfDeath().toString()));
        }
    }

    private static CodeableConcept maritalStatus(MaritalStatus status) {
        // The displays are the code system's own: the validator warns about any other.
        Coding coding = switch (status) {
            case SINGLE -> new Coding(HealthFhir.MARITAL_STATUS_SYSTEM, "S", "Never Married");
            case MARRIED -> new Coding(HealthFhir.MARITAL_STATUS_SYSTEM, "M", "Married");
            case DIVORCED -> new Coding(HealthFhir.MARITAL_STATUS_SYSTEM, "D", "Divorced");
            case WIDOWED -> new Coding(HealthFhir.MARITAL_STATUS_SYSTEM, "W", "Widowed");
        };
        return new CodeableConcept(coding);
    }

    /** Copies every registry field {@code from} has onto {@code onto}; fields it lacks leave {@code onto} alone. */
    private static void overlay(Patient from, Patient onto) {
        for (String system : REGISTRY_IDENTIFIERS) {
            List<Identifier> fresh = from.getIdentifier().stream().filter(i -> system.equals(i.getSystem())).toList();
            if (!fresh.isEmpty()) {
                onto.getIdentifier().removeIf(i -> system.equals(i.getSystem()));
                onto.getIdentifier().addAll(fresh);
            }
        }
        if (from.hasName()) {
            PatientNames.replaceOfficialName(onto, from.getNameFirstRep());
        }
        if (from.hasGender()) {
            onto.setGender(from.getGender());
        }
        if (from.hasBirthDate()) {
            onto.setBirthDateElement(from.getBirthDateElement());
        }
        if (from.hasAddress()) {
            PatientAddresses.replaceHomeAddress(onto, from.getAddressFirstRep());
        }
        if (from.hasMaritalStatus()) {
            onto.setMaritalStatus(from.getMaritalStatus());
        }
        for (Extension extension : from.getExtension()) {
            onto.getExtension().removeIf(e -> extension.getUrl().equals(e.getUrl()));
            onto.addExtension(extension);
        }
    }

    /**
     * A hospital's report of a death as FHIR, into the bus's {@code DeathReported} notification (canonical JSON, for
     * the same checks as one sent as JSON): a Patient with the NIK as identifier ({@link HealthFhir#NIK_SYSTEM}) and
     * {@code deceasedDateTime}; the day of death is the date written, or, for a time with an offset, its day in
     * Asia/Jakarta. {@code Patient.id}, the hospital's own id of the record, becomes the notification's
     * {@code reference}.
     *
     * @param notificationId the notification's id (the bus derives it from the report, so a repeat is one)
     * @param reportedAt     when the bus took the report
     * @throws JembatanException {@code SCHEMA_VIOLATION} at the FHIRPath of what is missing: the NIK identifier (or
     *                           more than one), a {@code deceasedDateTime}
     */
    public ObjectNode fromAgency(Patient patient, UUID notificationId, OffsetDateTime reportedAt) {
        List<FieldError> errors = new ArrayList<>();
        List<Identifier> niks = patient.getIdentifier().stream()
                .filter(i -> HealthFhir.NIK_SYSTEM.equals(i.getSystem()) && i.hasValue()).toList();
        if (niks.size() != 1) {
            errors.add(new FieldError(ErrorCode.SCHEMA_VIOLATION, "Patient.identifier", "a death report names the "
                    + "citizen by exactly one identifier with system " + HealthFhir.NIK_SYSTEM + ", not "
                    + niks.size()));
        }
        if (!patient.hasDeceasedDateTimeType() || !patient.getDeceasedDateTimeType().hasValue()
                || patient.getDeceasedDateTimeType().getPrecision().compareTo(TemporalPrecisionEnum.DAY) < 0) {
            errors.add(new FieldError(ErrorCode.SCHEMA_VIOLATION, "Patient.deceasedDateTime", "a death report gives"
                    + " the day of death as deceasedDateTime, at least to the day (deceasedBoolean does not say"
                    + " when)"));
        }
        if (!errors.isEmpty()) {
            throw JembatanException.of(errors);
        }
        DateTimeType deceased = patient.getDeceasedDateTimeType();
        LocalDate dateOfDeath = deceased.getPrecision() == TemporalPrecisionEnum.DAY
                ? LocalDate.of(deceased.getYear(), deceased.getMonth() + 1, deceased.getDay())
                : deceased.getValue().toInstant().atZone(INDONESIA_WEST).toLocalDate();
        ObjectNode report = CanonicalJson.mapper().createObjectNode();
        report.put("notificationId", notificationId.toString());
        report.put("type", NotificationType.DEATH_REPORTED.wireName());
        report.put("nik", niks.get(0).getValue());
        report.put("dateOfDeath", dateOfDeath.toString());
        // ISO_OFFSET_DATE_TIME always writes the seconds, which OffsetDateTime.toString() leaves out when zero.
        report.put("reportedAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(reportedAt));
        if (patient.hasIdElement() && patient.getIdElement().hasIdPart()) {
            report.put("reference", patient.getIdElement().getIdPart());
        }
        return report;
    }

    private static Identifier officialIdentifier(String system, String value) {
        return new Identifier().setUse(Identifier.IdentifierUse.OFFICIAL).setSystem(system).setValue(value);
    }

    private static AgencyRejectedException untranslatable(String detail) {
        return new AgencyRejectedException(ErrorCode.TRANSLATION_FAILED, detail, null);
    }
}
