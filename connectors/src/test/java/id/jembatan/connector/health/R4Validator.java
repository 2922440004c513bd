package id.jembatan.connector.health;

import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.util.List;

/**
 * HAPI FHIR's R4 instance validator (core structure definitions, terminology held in memory, no network) through
 * which the tests pass every resource the health connector produces or the sandbox stores. Built once per JVM: the
 * first validation loads the R4 definitions and takes seconds, later ones milliseconds.
 */
public final class R4Validator {

    private static final FhirValidator VALIDATOR = create();

    private R4Validator() {
    }

    /** Every message the validator reports for {@code resource}, in JSON as it goes over the wire. */
    static List<SingleValidationMessage> messages(IBaseResource resource) {
        String json = HealthFhir.context().newJsonParser().encodeResourceToString(resource);
        return VALIDATOR.validateWithResult(json).getMessages();
    }

    /** Every message the validator reports for a resource given as JSON or XML text. */
    static List<SingleValidationMessage> messages(String resource) {
        return VALIDATOR.validateWithResult(resource).getMessages();
    }

    /** The ERROR and FATAL messages only: what makes a resource invalid. */
    public static List<SingleValidationMessage> errors(IBaseResource resource) {
        return messages(resource).stream().filter(R4Validator::isError).toList();
    }

    public static List<SingleValidationMessage> errors(String resource) {
        return messages(resource).stream().filter(R4Validator::isError).toList();
    }

    static boolean isError(SingleValidationMessage message) {
        return message.getSeverity() == ResultSeverityEnum.ERROR || message.getSeverity() == ResultSeverityEnum.FATAL;
    }

    /** "SEVERITY location: message", for assertion failures that say what was wrong. */
    public static String describe(SingleValidationMessage message) {
        return message.getSeverity() + " " + message.getLocationString() + ": " + message.getMessage();
    }

    private static FhirValidator create() {
        var context = HealthFhir.context();
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(context),
                new CommonCodeSystemsTerminologyService(context),
                new InMemoryTerminologyServerValidationSupport(context),
                new SnapshotGeneratingValidationSupport(context));
        return context.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    }
}
