package id.jembatan.agency;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An entry of {@code api-keys} (an agency's or the operators'): the SHA-256 hex digest of a key, never the key
 * itself, which is what an integrator pastes by mistake.
 */
@Documented
@NotNull
@Pattern(regexp = "[0-9a-fA-F]{64}")
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({ElementType.TYPE_USE, ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
public @interface KeyDigest {

    String message() default ": each entry must be the SHA-256 hex digest (64 hex digits) of a key, never the key"
            + " itself (printf %s \"$KEY\" | sha256sum)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
