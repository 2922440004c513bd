package id.jembatan.connector.health;

import ca.uhn.fhir.context.FhirContext;

import java.util.List;

/**
 * The one HL7 FHIR R4 context of the application and the identifiers of the health agency's (SATUSEHAT-style)
 * profile that every Patient crossing the health connector carries.
 */
public final class HealthFhir {

    /** A citizen's NIK as a Patient identifier. */
    public static final String NIK_SYSTEM = "https://fhir.kemkes.go.id/id/nik";

    /** The mother's NIK, SATUSEHAT's identifier for a baby that has no NIK of its own yet (or is under one year). */
    public static final String MOTHER_NIK_SYSTEM = "https://fhir.kemkes.go.id/id/nik-ibu";

    /** The family card (KK) number as a Patient identifier. */
    public static final String FAMILY_CARD_SYSTEM = "https://fhir.kemkes.go.id/id/kk";

    /**
     * SATUSEHAT's complex extension on Address with the Ministry of Home Affairs region codes; its sub-extensions are
     * {@link #ADMINISTRATIVE_CODE_PARTS}.
     */
    public static final String ADMINISTRATIVE_CODE_URL =
            "https://fhir.kemkes.go.id/r4/StructureDefinition/administrativeCode";

    /** The sub-extension urls of {@link #ADMINISTRATIVE_CODE_URL}, from the largest region to the neighbourhood. */
    public static final List<String> ADMINISTRATIVE_CODE_PARTS =
            List.of("province", "city", "district", "village", "rt", "rw");

    /** SATUSEHAT's Patient extension for the place of birth (an Address with city and country). */
    public static final String BIRTH_PLACE_URL = "https://fhir.kemkes.go.id/r4/StructureDefinition/birthPlace";

    /** SATUSEHAT's Patient extension for citizenship: code WNI (Indonesian citizen) or WNA (foreigner). */
    public static final String CITIZENSHIP_STATUS_URL =
            "https://fhir.kemkes.go.id/r4/StructureDefinition/citizenshipStatus";

    /** HL7's core extension for "a subsection of a municipality": the kelurahan or desa name of an Address. */
    public static final String PRECINCT_URL = "http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-precinct";

    /** HL7 v3 marital status codes (S, M, D, W), the code system R4 binds Patient.maritalStatus to. */
    public static final String MARITAL_STATUS_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus";

    /** meta.tag system whose codes are the ids of the Jembatan events already applied to a Patient. */
    public static final String EVENT_ID_TAG_SYSTEM = "https://jembatan.id/event-id";

    private HealthFhir() {
    }

    private static final FhirContext CONTEXT = configured();

    /**
     * The shared R4 context. HAPI builds the model scan once and caches it JVM-wide: creating a context is expensive,
     * using one is thread-safe, so the connector, the sandbox and the lookup API all take this one.
     * <p>
     * Its parsers do not look for resources to contain ({@code autoContainReferenceTargetsWithNoId} off): by
     * default HAPI walks every element of every resource it encodes, for a Reference that holds a resource object
     * without an id, to move that resource into {@code contained}. The bus never builds such a reference (its
     * resources carry no references to resources in memory, and contained resources, where any, are put into
     * {@code contained} directly), so the walk never changed a byte: it was about a third of the health connector's
     * encoding, an eighth of its delivery consumer's CPU.
     */
    public static FhirContext context() {
        return CONTEXT;
    }

    private static FhirContext configured() {
        FhirContext context = FhirContext.forR4Cached();
        context.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        return context;
    }
}
