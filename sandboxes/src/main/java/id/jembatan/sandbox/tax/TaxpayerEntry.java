package id.jembatan.sandbox.tax;

import id.jembatan.connector.tax.TaxXml;
import id.jembatan.schema.model.MaritalStatus;
import id.jembatan.schema.model.Nationality;
import id.jembatan.schema.model.Sex;
import id.jembatan.schema.tax.v1.Address;
import id.jembatan.schema.tax.v1.MaritalStatusChange;
import id.jembatan.schema.tax.v1.Taxpayer;
import id.jembatan.schema.tax.v1.TaxpayerChange;

import java.time.LocalDate;

/** One taxpayer's record as the messages build it up; guarded by the sandbox's lock. */
final class TaxpayerEntry {

    private final String nik;
    private boolean registered;
    private String familyCardNumber;
    private String fullName;
    private String birthPlace;
    private LocalDate birthDate;
    private Sex sex;
    private MaritalStatus maritalStatus;
    private String spouseNik;
    private LocalDate maritalStatusSince;
    private Integer numberOfDependants;
    private String occupation;
    private Nationality nationality;
    private id.jembatan.schema.model.Address address;
    private LocalDate dateOfDeath;
    private String placeOfDeath;

    TaxpayerEntry(String nik) {
        this.nik = nik;
    }

    /** A registration sets what it carries and keeps what earlier changes taught (it may come late). */
    void register(Taxpayer taxpayer) {
        registered = true;
        familyCardNumber = keep(familyCardNumber, taxpayer.getFamilyCardNumber());
        fullName = keep(fullName, taxpayer.getFullName());
        birthPlace = keep(birthPlace, taxpayer.getBirthPlace());
        birthDate = keep(birthDate, TaxXml.localDate(taxpayer.getBirthDate()));
        sex = keep(sex, taxpayer.getSex() == null ? null : Sex.valueOf(taxpayer.getSex().value()));
        maritalStatus = keep(maritalStatus, taxpayer.getMaritalStatus() == null
                ? null : MaritalStatus.valueOf(taxpayer.getMaritalStatus().value()));
        numberOfDependants = keep(numberOfDependants, taxpayer.getNumberOfDependants());
        occupation = keep(occupation, taxpayer.getOccupation());
        nationality = keep(nationality, taxpayer.getNationality() == null
                ? null : Nationality.valueOf(taxpayer.getNationality().value()));
        address = keep(address, address(taxpayer.getAddress()));
    }

    void change(TaxpayerChange change) {
        if (change.getAddress() != null) {
            address = address(change.getAddress());
        } else if (change.getFullName() != null) {
            fullName = change.getFullName();
        } else if (change.getMaritalStatus() != null) {
            MaritalStatusChange status = change.getMaritalStatus();
            maritalStatus = MaritalStatus.valueOf(status.getStatus().value());
            spouseNik = status.getSpouseNik();
            maritalStatusSince = TaxXml.localDate(status.getEffectiveDate());
        } else if (change.getDeceased() != null) {
            dateOfDeath = TaxXml.localDate(change.getDeceased().getDateOfDeath());
            placeOfDeath = change.getDeceased().getPlaceOfDeath();
        } else if (change.getNumberOfDependants() != null) {
            numberOfDependants = change.getNumberOfDependants();
        }
    }

    TaxpayerRecord toRecord() {
        return new TaxpayerRecord(nik, registered, familyCardNumber, fullName, birthPlace, birthDate, sex,
                maritalStatus, spouseNik, maritalStatusSince, numberOfDependants, occupation, nationality,
                address, dateOfDeath, placeOfDeath);
    }

    private static <T> T keep(T current, T received) {
        return received != null ? received : current;
    }

    private static id.jembatan.schema.model.Address address(Address from) {
        return from == null ? null : new id.jembatan.schema.model.Address(from.getStreet(), from.getRt(),
                from.getRw(), from.getVillageCode(), from.getVillage(), from.getDistrictCode(),
                from.getDistrict(), from.getRegencyCode(), from.getRegency(), from.getProvinceCode(),
                from.getProvince(), from.getPostalCode());
    }
}
