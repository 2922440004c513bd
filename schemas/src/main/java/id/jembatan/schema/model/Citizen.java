package id.jembatan.schema.model;

import java.time.LocalDate;

/** The civil registry's identity record of one person, as carried by {@link BirthRegistered}. */
public record Citizen(
        String nik,
        String familyCardNumber,
        String fullName,
        String birthPlace,
        LocalDate birthDate,
        Sex sex,
        Religion religion,
        MaritalStatus maritalStatus,
        String occupation,
        Nationality nationality,
        String motherNik,
        String fatherNik,
        Address address) {
}
