package id.jembatan.api.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import id.jembatan.connector.NikRedaction;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.util.List;

/**
 * HAPI FHIR's R4 instance validator (the base specification's profiles and code systems, nothing fetched) for
 * resources agencies report to the bus in FHIR: an invalid one is refused before anything reads it. Built at the
 * first report (it loads the specification, a few seconds), then shared; thread-safe.
 */
final class FhirReportValidator {

    private final FhirContext context;
    private volatile FhirValidator validator;

    FhirReportValidator(FhirContext context) {
        this.context = context;
    }

    /** The ERROR and FATAL findings, each at its FHIRPath location, NIKs masked; empty when the resource is valid. */
    List<FieldError> errors(IBaseResource resource) {
        return validator().validateWithResult(resource).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(FhirReportValidator::error)
                .toList();
    }

    private static FieldError error(SingleValidationMessage message) {
        return new FieldError(ErrorCode.SCHEMA_VIOLATION, String.valueOf(message.getLocationString()),
                NikRedaction.redact(message.getMessage()));
    }

    private FhirValidator validator() {
        FhirValidator built = validator;
        if (built == null) {
            synchronized (this) {
                built = validator;
                if (built == null) {
                    ValidationSupportChain chain = new ValidationSupportChain(
                            new DefaultProfileValidationSupport(context),
                            new CommonCodeSystemsTerminologyService(context),
                            new InMemoryTerminologyServerValidationSupport(context),
                            new SnapshotGeneratingValidationSupport(context));
                    built = context.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
                    validator = built;
                }
            }
        }
        return built;
    }
}
