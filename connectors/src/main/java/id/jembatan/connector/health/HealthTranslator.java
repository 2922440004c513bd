package id.jembatan.connector.health;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.model.AddressChanged;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.schema.model.DivorceRegistered;
import id.jembatan.schema.model.MaritalStatus;
import id.jembatan.schema.model.MarriageRegistered;
import id.jembatan.schema.model.NameChanged;
import id.jembatan.schema.model.Nationality;
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
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Canonical citizens and life events into HL7 FHIR R4 Patient resources in the SATUSEHAT style, and Patients back
 * into citizens. Pure and thread-safe: no I/O, no shared mutable state; the clock only decides "today" for
 * {@link #toPatient(Citizen)}.
 *
 * <p>Any optional field may be null (the access policy removes what the health agency may not receive): a null
 * field is left out of a new Patient and leaves the existing value of a Patient alone. The canonical fields FHIR has
 * no place for (religion, occupation, father's NIK, place of death, spouse's NIK) are not carried.
 */
public final class HealthTranslator {

    /** Civil dates (the first year of a baby) are counted in western Indonesian time unless an event says otherwise. */
    private static final ZoneId INDONESIA_WEST = ZoneId.of("Asia/Jakarta");
    private static final String INDONESIA = "ID";
    /** Patronymic particles: "Ahmad bin Yusuf" has the given name Ahmad and the family part "bin Yusuf". */
    private static final Set<String> PATRONYMIC_PARTICLES = Set.of("bin", "binti");
    /** The RT/RW line this translator writes: "RT 001/RW 002", or only one of the two. */
    private static final Pattern RT_RW_LINE = Pattern.compile("RT ([^/\\s]+)/RW (\\S+)|RT ([^/\\s]+)|RW (\\S+)");
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

    // ---------------------------------------------------------------------------------------------- canonical -> FHIR

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
        HumanName name = officialName(citizen.fullName());
        if (name != null) {
            patient.addName(name);
        }
        if (citizen.sex() != null) {
            patient.setGender(citizen.sex() == Sex.FEMALE ? AdministrativeGender.FEMALE : AdministrativeGender.MALE);
        }
        if (citizen.birthDate() != null) {
            patient.setBirthDateElement(new DateType(citizen.birthDate().toString()));
        }
        Address address = homeAddress(citizen.address());
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
        } else if (event instanceof DeathRegistered death) {
            if (death.dateOfDeath() == null) {
                throw untranslatable("DeathRegistered carries no date of death");
            }
            // The registry knows the day, not the hour: a date-only dateTime says exactly that.
            patient.setDeceased(new DateTimeType(death.dateOfDeath().toString()));
        } else if (event instanceof AddressChanged move) {
            Address address = homeAddress(move.address());
            if (address == null) {
                throw untranslatable("AddressChanged carries no address");
            }
            replaceHomeAddress(patient, address);
        } else if (event instanceof NameChanged rename) {
            HumanName name = officialName(rename.fullName());
            if (name == null) {
                throw untranslatable("NameChanged carries no name");
            }
            replaceOfficialName(patient, name);
        } else if (event instanceof MarriageRegistered) {
            patient.setMaritalStatus(maritalStatus(MaritalStatus.MARRIED));
        } else if (event instanceof DivorceRegistered) {
            patient.setMaritalStatus(maritalStatus(MaritalStatus.DIVORCED));
        } else {
            throw untranslatable("no FHIR mapping for " + event.getClass().getSimpleName());
        }
    }

    // ---------------------------------------------------------------------------------------------- FHIR -> canonical

    /**
     * The citizen as far as a Patient tells it: NIK, mother's NIK, KK, name, sex, birth date, place of birth,
     * marital status, citizenship and home address; everything else is null. A baby known only by the mother's NIK
     * gives a citizen with a null NIK.
     */
    public Citizen toCitizen(Patient patient) {
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

    // ------------------------------------------------------------------------------------------------------ names

    /**
     * The official name. {@code text} is the name exactly as registered and the only part read back. Many
     * Indonesians have a single name and most have no family name at all, so: a single name is only a given name
     * (no family name is invented); "X bin/binti Y" keeps the patronymic as the family part; otherwise the last word
     * is the family part, as Indonesian passports and international forms split names.
     */
    static HumanName officialName(String fullName) {
        if (fullName == null || fullName.isBlank()) {
            return null;
        }
        String text = fullName.strip();
        String[] words = text.split("\\s+");
        HumanName name = new HumanName().setUse(HumanName.NameUse.OFFICIAL).setText(text);
        int familyStart = words.length - 1;
        for (int i = 1; i < words.length - 1; i++) {
            if (PATRONYMIC_PARTICLES.contains(words[i].toLowerCase(Locale.ROOT))) {
                familyStart = i;
                break;
            }
        }
        if (words.length == 1) {
            name.addGiven(words[0]);
            return name;
        }
        for (int i = 0; i < familyStart; i++) {
            name.addGiven(words[i]);
        }
        name.setFamily(String.join(" ", List.of(words).subList(familyStart, words.length)));
        return name;
    }

    private static String fullName(Patient patient) {
        return patient.getName().stream().filter(HealthTranslator::isOfficial).findFirst()
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

    private static boolean isOfficial(HumanName name) {
        return !name.hasUse() || name.getUse() == HumanName.NameUse.OFFICIAL;
    }

    private static void replaceOfficialName(Patient patient, HumanName name) {
        patient.getName().removeIf(HealthTranslator::isOfficial);
        patient.getName().add(0, name);
    }

    // --------------------------------------------------------------------------------------------------- addresses

    /**
     * The domicile address. FHIR has street lines, city, district, state and postal code but no place for the
     * village (kelurahan/desa) or the region codes, so: line 1 is the street, line 2 "RT 001/RW 002"; city is the
     * regency or city, district the kecamatan, state the province; the village name goes into HL7's core
     * {@code iso21090-ADXP-precinct} extension ("a subsection of a municipality"); the codes and RT/RW go into
     * SATUSEHAT's {@code administrativeCode} extension; {@code text} is the whole address for display.
     */
    static Address homeAddress(id.jembatan.schema.model.Address a) {
        if (a == null) {
            return null;
        }
        Address address = new Address().setUse(Address.AddressUse.HOME);
        String rtRw = rtRwLine(a.rt(), a.rw());
        if (present(a.street())) {
            address.addLine(a.street().strip());
        }
        if (rtRw != null) {
            address.addLine(rtRw);
        }
        address.setCity(blankToNull(a.regency()));
        address.setDistrict(blankToNull(a.district()));
        address.setState(blankToNull(a.province()));
        address.setPostalCode(blankToNull(a.postalCode()));
        if (present(a.village())) {
            address.addExtension(HealthFhir.PRECINCT_URL, new StringType(a.village().strip()));
        }
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("province", a.provinceCode());
        codes.put("city", a.regencyCode());
        codes.put("district", a.districtCode());
        codes.put("village", a.villageCode());
        codes.put("rt", a.rt());
        codes.put("rw", a.rw());
        Extension administrativeCode = new Extension(HealthFhir.ADMINISTRATIVE_CODE_URL);
        codes.forEach((part, code) -> {
            if (present(code)) {
                administrativeCode.addExtension(part, new CodeType(code.strip()));
            }
        });
        if (administrativeCode.hasExtension()) {
            address.addExtension(administrativeCode);
        }
        String text = Stream.of(blankToNull(a.street()), rtRw, blankToNull(a.village()), address.getDistrict(),
                        address.getCity(), address.getState())
                .filter(Objects::nonNull).collect(Collectors.joining(", "));
        if (address.hasPostalCode()) {
            text = text.isEmpty() ? address.getPostalCode() : text + " " + address.getPostalCode();
        }
        if (text.isEmpty() && !address.hasExtension()) {
            // Every field was withheld: an address that says nothing is better left out.
            return null;
        }
        address.setText(text.isEmpty() ? null : text);
        // The bus carries domicile addresses registered by Dukcapil: always in Indonesia.
        address.setCountry(INDONESIA);
        return address;
    }

    private static String rtRwLine(String rt, String rw) {
        if (present(rt) && present(rw)) {
            return "RT " + rt.strip() + "/RW " + rw.strip();
        }
        if (present(rt)) {
            return "RT " + rt.strip();
        }
        return present(rw) ? "RW " + rw.strip() : null;
    }

    private static boolean isHome(Address address) {
        return !address.hasUse() || address.getUse() == Address.AddressUse.HOME;
    }

    private static void replaceHomeAddress(Patient patient, Address address) {
        patient.getAddress().removeIf(HealthTranslator::isHome);
        patient.getAddress().add(0, address);
    }

    private static id.jembatan.schema.model.Address canonicalAddress(Patient patient) {
        Address address = patient.getAddress().stream().filter(HealthTranslator::isHome).findFirst().orElse(null);
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

    // -------------------------------------------------------------------------------------- the remaining fields

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

    // ---------------------------------------------------------------------------------------------------- helpers

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
            replaceOfficialName(onto, from.getNameFirstRep());
        }
        if (from.hasGender()) {
            onto.setGender(from.getGender());
        }
        if (from.hasBirthDate()) {
            onto.setBirthDateElement(from.getBirthDateElement());
        }
        if (from.hasAddress()) {
            replaceHomeAddress(onto, from.getAddressFirstRep());
        }
        if (from.hasMaritalStatus()) {
            onto.setMaritalStatus(from.getMaritalStatus());
        }
        for (Extension extension : from.getExtension()) {
            onto.getExtension().removeIf(e -> extension.getUrl().equals(e.getUrl()));
            onto.addExtension(extension);
        }
    }

    private static Identifier officialIdentifier(String system, String value) {
        return new Identifier().setUse(Identifier.IdentifierUse.OFFICIAL).setSystem(system).setValue(value);
    }

    private static String identifierValue(Patient patient, String system) {
        return patient.getIdentifier().stream()
                .filter(identifier -> system.equals(identifier.getSystem()) && identifier.hasValue())
                .map(Identifier::getValue).findFirst().orElse(null);
    }

    private static String primitive(Type value) {
        return value instanceof PrimitiveType<?> primitive ? primitive.getValueAsString() : null;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static String blankToNull(String value) {
        return present(value) ? value.strip() : null;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static AgencyRejectedException untranslatable(String detail) {
        return new AgencyRejectedException(ErrorCode.TRANSLATION_FAILED, detail, null);
    }
}
