package id.jembatan.schema.model;

import java.time.LocalDate;

/** Identity data an agency was given and asks the civil registry's record to confirm: NIK, full name, birth date. */
public record VerificationRequest(String nik, String fullName, LocalDate birthDate) {
}
