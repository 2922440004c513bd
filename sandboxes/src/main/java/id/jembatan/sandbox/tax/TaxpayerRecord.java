package id.jembatan.sandbox.tax;

import id.jembatan.schema.model.Address;
import id.jembatan.schema.model.MaritalStatus;
import id.jembatan.schema.model.Nationality;
import id.jembatan.schema.model.Sex;

import java.time.LocalDate;

/**
 * What the tax sandbox knows of one taxpayer after applying the registrations and changes it received, in the
 * canonical model's types so that tests can compare it with the events they sent. A field no message carried (or
 * the access policy withheld) is null.
 *
 * @param registered         whether a TaxpayerRegistration arrived (a parent may be known from changes only)
 * @param spouseNik          the (former) spouse of the last marriage or divorce
 * @param maritalStatusSince the EffectiveDate of the last marriage or divorce
 * @param numberOfDependants the last count received, in the registration or in a change
 */
public record TaxpayerRecord(
        String nik,
        boolean registered,
        String familyCardNumber,
        String fullName,
        String birthPlace,
        LocalDate birthDate,
        Sex sex,
        MaritalStatus maritalStatus,
        String spouseNik,
        LocalDate maritalStatusSince,
        Integer numberOfDependants,
        String occupation,
        Nationality nationality,
        Address address,
        LocalDate dateOfDeath,
        String placeOfDeath) {

    /** Whether the tax office was told of this taxpayer's death. */
    public boolean deceased() {
        return dateOfDeath != null;
    }
}
