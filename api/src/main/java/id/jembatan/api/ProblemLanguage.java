package id.jembatan.api;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import org.springframework.context.MessageSource;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Locale;

/**
 * The words of a refusal in the language the caller asks for with {@code Accept-Language}: English, the codes' own
 * titles and the details written where the refusal is made (the default), or Indonesian, from a message source
 * keyed by code ({@code id/jembatan/api/problems_id.properties}: {@code <CODE>.title}, {@code <CODE>.detail}). The
 * code, status, type and pointers never change with the language.
 */
@Component
public class ProblemLanguage {

    /** Bahasa Indonesia. */
    public static final Locale INDONESIAN = Locale.forLanguageTag("id");

    private static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, INDONESIAN);

    private final MessageSource messages;

    public ProblemLanguage() {
        ResourceBundleMessageSource source = new ResourceBundleMessageSource();
        source.setBasename("id/jembatan/api/problems");
        source.setDefaultEncoding("UTF-8");
        source.setFallbackToSystemLocale(false);
        this.messages = source;
    }

    /**
     * The language of the answer for an {@code Accept-Language} value (RFC 9110: ranges with weights): the supported
     * one the caller prefers, English when it names neither, sends none, or sends a malformed header.
     */
    public static Locale chosen(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return Locale.ENGLISH;
        }
        try {
            Locale best = Locale.lookup(Locale.LanguageRange.parse(acceptLanguage), SUPPORTED);
            return best == null ? Locale.ENGLISH : best;
        } catch (IllegalArgumentException malformed) {
            return Locale.ENGLISH;
        }
    }

    /** The problem for a refusal in the given language; {@code detail} and the errors' messages are the English ones. */
    public ProblemDetail problem(Locale language, ErrorCode code, String detail, List<FieldError> errors) {
        if (!INDONESIAN.getLanguage().equals(language.getLanguage())) {
            return Problems.of(code, detail, errors);
        }
        ProblemDetail problem = Problems.of(code, text(code, "detail", detail, language),
                errors.stream().map(e -> new FieldError(e.code(), e.pointer(),
                        text(e.code(), "detail", e.message(), language))).toList());
        problem.setTitle(text(code, "title", code.title(), language));
        return problem;
    }

    /** The problem for a refusal to a caller who sent this {@code Accept-Language} value. */
    public ProblemDetail problem(String acceptLanguage, ErrorCode code, String detail, List<FieldError> errors) {
        return problem(chosen(acceptLanguage), code, detail, errors);
    }

    /** A code's title or detail in the language; the English text where the language has none. */
    String text(ErrorCode code, String part, String english, Locale language) {
        return messages.getMessage(code.name() + "." + part, null, english, language);
    }
}
