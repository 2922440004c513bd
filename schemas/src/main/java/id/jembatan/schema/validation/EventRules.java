package id.jembatan.schema.validation;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.model.AddressChanged;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.schema.model.DivorceRegistered;
import id.jembatan.schema.model.MarriageRegistered;
import id.jembatan.schema.model.Sex;
import id.jembatan.schema.rules.AddressRules;
import id.jembatan.schema.rules.DateRange;
import id.jembatan.schema.rules.Nik;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The data rules of an event that matched its schema, across its fields: the NIK agrees with sex and birth date,
 * parents' NIKs encode the right sex, parents and spouse are not the citizen, address codes exist and nest, and no
 * date lies in the future or outside {@link DateRange}. Immutable and thread-safe.
 */
final class EventRules {

    private final AddressRules addressRules;
    private final Clock clock;

    EventRules(AddressRules addressRules, Clock clock) {
        this.addressRules = addressRules;
        this.clock = clock;
    }

    /** The errors of an event that matched its schema; none when it keeps every rule. */
    List<FieldError> check(CitizenEvent event) {
        Instant now = clock.instant();
        LocalDate today = now.atZone(EventValidator.REGISTRY_ZONE).toLocalDate();
        List<FieldError> errors = new ArrayList<>(0);
        errors.addAll(DateRange.checkTimestamp(event.occurredAt(), "/occurredAt", "occurredAt"));
        if (event.occurredAt().toInstant().isAfter(now.plus(EventValidator.ALLOWED_CLOCK_SKEW))) {
            String nowInJakarta = now.atZone(EventValidator.REGISTRY_ZONE).toOffsetDateTime()
                    .truncatedTo(ChronoUnit.SECONDS).toString();
            errors.add(new FieldError(ErrorCode.DATE_IN_FUTURE, "/occurredAt", "occurredAt " + event.occurredAt()
                    + " lies in the future (now is " + nowInJakarta + ", and at most "
                    + EventValidator.ALLOWED_CLOCK_SKEW.toMinutes() + " minutes of clock skew are allowed)"));
        }
        if (event instanceof BirthRegistered birth) {
            Citizen c = birth.citizen();
            errors.addAll(Nik.checkAgainst(c.nik(), "/citizen/nik", c.sex(), c.birthDate()));
            notSelf(c.nik(), c.motherNik(), "/citizen/motherNik", ErrorCode.PARENT_IS_SELF,
                    "motherNik must be the mother's NIK, not the citizen's own", errors);
            notSelf(c.nik(), c.fatherNik(), "/citizen/fatherNik", ErrorCode.PARENT_IS_SELF,
                    "fatherNik must be the father's NIK, not the citizen's own", errors);
            if (!c.nik().equals(c.motherNik())) {
                parentOfSex(c.motherNik(), Sex.FEMALE, "/citizen/motherNik", "motherNik", errors);
            }
            if (!c.nik().equals(c.fatherNik())) {
                parentOfSex(c.fatherNik(), Sex.MALE, "/citizen/fatherNik", "fatherNik", errors);
            }
            errors.addAll(DateRange.checkDate(c.birthDate(), "/citizen/birthDate", "birthDate"));
            notAfter(c.birthDate(), today, "/citizen/birthDate", "birthDate", errors);
            errors.addAll(addressRules.check(c.address(), "/citizen/address"));
        } else if (event instanceof DeathRegistered death) {
            errors.addAll(DateRange.checkDate(death.dateOfDeath(), "/dateOfDeath", "dateOfDeath"));
            notAfter(death.dateOfDeath(), today, "/dateOfDeath", "dateOfDeath", errors);
        } else if (event instanceof AddressChanged move) {
            errors.addAll(addressRules.check(move.address(), "/address"));
        } else if (event instanceof MarriageRegistered marriage) {
            notSelf(marriage.nik(), marriage.spouseNik(), "/spouseNik", ErrorCode.SPOUSE_IS_SELF,
                    "spouseNik must be the spouse's NIK, not the citizen's own", errors);
            errors.addAll(DateRange.checkDate(marriage.dateOfMarriage(), "/dateOfMarriage", "dateOfMarriage"));
            notAfter(marriage.dateOfMarriage(), today, "/dateOfMarriage", "dateOfMarriage", errors);
        } else if (event instanceof DivorceRegistered divorce) {
            notSelf(divorce.nik(), divorce.spouseNik(), "/spouseNik", ErrorCode.SPOUSE_IS_SELF,
                    "spouseNik must be the former spouse's NIK, not the citizen's own", errors);
            errors.addAll(DateRange.checkDate(divorce.dateOfDivorce(), "/dateOfDivorce", "dateOfDivorce"));
            notAfter(divorce.dateOfDivorce(), today, "/dateOfDivorce", "dateOfDivorce", errors);
        }
        // NameChanged: the schema has checked the name, and a NIK and a name have nothing to agree on.
        return errors;
    }

    private static void notSelf(String nik, String other, String pointer, ErrorCode code, String message,
                                List<FieldError> errors) {
        if (other != null && other.equals(nik)) {
            errors.add(new FieldError(code, pointer, message));
        }
    }

    /**
     * A parent's NIK encodes the parent's sex (a woman's birth day + 40): a mother's must be a woman's, a father's a
     * man's. A malformed NIK is {@link Nik#check}'s to report.
     */
    private static void parentOfSex(String parentNik, Sex expected, String pointer, String field,
                                    List<FieldError> errors) {
        Nik.parse(parentNik).filter(parts -> parts.sex() != expected).ifPresent(parts -> errors.add(
                new FieldError(ErrorCode.PARENT_SEX_MISMATCH, pointer, field + " encodes a "
                        + (parts.sex() == Sex.FEMALE ? "woman (birth day + 40)" : "man (birth day without + 40)")
                        + "; a " + (expected == Sex.FEMALE ? "mother's NIK must encode a woman"
                        : "father's NIK must encode a man"))));
    }

    private static void notAfter(LocalDate date, LocalDate today, String pointer, String field,
                                 List<FieldError> errors) {
        if (date != null && date.isAfter(today)) {
            errors.add(new FieldError(ErrorCode.DATE_IN_FUTURE, pointer,
                    field + " " + date + " lies after today (" + today + " in Asia/Jakarta)"));
        }
    }
}
