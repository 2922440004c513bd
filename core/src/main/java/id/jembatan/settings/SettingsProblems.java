package id.jembatan.settings;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.hibernate.validator.HibernateValidator;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;

import java.util.List;
import java.util.Locale;

/**
 * Bean Validation of the bus's settings records, each violation as a problem naming its key as an operator writes it
 * ({@code jembatan.agencies.tax.delivery.consumers must be greater than or equal to 1}). A constraint's message reads
 * after the key: as a predicate ({@code must ...}, {@code is required ...}) after a space, or, starting with a colon,
 * as a remark about the value ({@code jembatan.agencies.Kiosk: an agency id is ...}). Messages are in English, as
 * the rest of the start-up report, whatever the machine's locale.
 */
public final class SettingsProblems {

    private static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class).configure()
            .defaultLocale(Locale.ENGLISH)
            .buildValidatorFactory()
            .getValidator();

    private SettingsProblems() {
    }

    /**
     * Every violation of the constraints of {@code settings}, bound from the keys under {@code prefix}, sorted by key.
     */
    public static List<String> of(String prefix, Object settings) {
        return VALIDATOR.validate(settings).stream().map(v -> problem(prefix, v)).distinct().sorted().toList();
    }

    private static String problem(String prefix, ConstraintViolation<?> violation) {
        String message = violation.getMessage();
        return key(prefix, violation.getPropertyPath()) + (message.startsWith(":") ? "" : " ") + message;
    }

    /**
     * The key of a violation's property: record components in their dashed form, map keys as the operator wrote
     * them; list indexes left out (a problem with any entry of {@code api-keys} is a problem of that setting).
     */
    static String key(String prefix, Path path) {
        StringBuilder key = new StringBuilder(prefix);
        for (Path.Node node : path) {
            if (node.getKey() != null) {
                key.append('.').append(node.getKey());
            }
            if (node.getKind() == ElementKind.PROPERTY) {
                key.append('.').append(DataObjectPropertyName.toDashedForm(node.getName()));
            }
        }
        return key.toString();
    }
}
