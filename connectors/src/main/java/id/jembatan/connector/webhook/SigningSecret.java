package id.jembatan.connector.webhook;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;

/**
 * A webhook signing secret long enough for HMAC-SHA256: at least {@link #min()} bytes in UTF-8 (none at all is too
 * short). The message never quotes the secret.
 */
@Documented
@Constraint(validatedBy = SigningSecret.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface SigningSecret {

    String message() default "needs at least {min} bytes (in production from the environment, never in a committed"
            + " file)";

    int min() default WebhookSignature.MIN_SECRET_BYTES;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Counts bytes, not characters: the key is the secret's UTF-8 encoding. */
    class Validator implements ConstraintValidator<SigningSecret, String> {

        private int min;

        @Override
        public void initialize(SigningSecret constraint) {
            min = constraint.min();
        }

        @Override
        public boolean isValid(String secret, ConstraintValidatorContext context) {
            return secret != null && secret.getBytes(StandardCharsets.UTF_8).length >= min;
        }
    }
}
