package id.jembatan.connector.health;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A citizen's registered domicile as a Patient's home {@link Address} in the SATUSEHAT style. FHIR has
 * street lines, city, district, state and postal code but no place for the village (kelurahan/desa) or the region
 * codes, so: line 1 is the street, line 2 "RT 001/RW 002"; city is the regency or city, district the kecamatan,
 * state the province; the village name goes into HL7's core {@code iso21090-ADXP-precinct} extension ("a subsection
 * of a municipality"); the codes and RT/RW go into SATUSEHAT's {@code administrativeCode} extension; {@code text} is
 * the whole address for display.
 */
final class PatientAddresses {

    private static final String INDONESIA = "ID";

    private PatientAddresses() {
    }

    /** The home address for a registered one; null when every field of it was withheld. */
    static Address homeAddress(id.jembatan.schema.model.Address a) {
        if (a == null) {
            return null;
        }
        Address address = new Address().setUse(Address.AddressUse.HOME);
        String rtRw = rtRwLine(a.rt(), a.rw());
        if (present(a.street())) {
            address.addLine(a.street().strip());
        }
        if (rtRw != null) {
            address.addLine(rtRw);
        }
        address.setCity(blankToNull(a.regency()));
        address.setDistrict(blankToNull(a.district()));
        address.setState(blankToNull(a.province()));
        address.setPostalCode(blankToNull(a.postalCode()));
        if (present(a.village())) {
            address.addExtension(HealthFhir.PRECINCT_URL, new StringType(a.village().strip()));
        }
        // In the order of HealthFhir.ADMINISTRATIVE_CODE_PARTS.
        List<String> codes = Arrays.asList(a.provinceCode(), a.regencyCode(), a.districtCode(), a.villageCode(),
                a.rt(), a.rw());
        Extension administrativeCode = new Extension(HealthFhir.ADMINISTRATIVE_CODE_URL);
        for (int i = 0; i < codes.size(); i++) {
            if (present(codes.get(i))) {
                administrativeCode.addExtension(HealthFhir.ADMINISTRATIVE_CODE_PARTS.get(i),
                        new CodeType(codes.get(i).strip()));
            }
        }
        if (administrativeCode.hasExtension()) {
            address.addExtension(administrativeCode);
        }
        String text = Stream.of(blankToNull(a.street()), rtRw, blankToNull(a.village()), address.getDistrict(),
                        address.getCity(), address.getState())
                .filter(Objects::nonNull).collect(Collectors.joining(", "));
        if (address.hasPostalCode()) {
            text = text.isEmpty() ? address.getPostalCode() : text + " " + address.getPostalCode();
        }
        if (text.isEmpty() && !address.hasExtension()) {
            // Every field was withheld: an address that says nothing is better left out.
            return null;
        }
        address.setText(text.isEmpty() ? null : text);
        // The bus carries domicile addresses registered by Dukcapil: always in Indonesia.
        address.setCountry(INDONESIA);
        return address;
    }

    /** Puts {@code address} first in place of the home addresses; other addresses the agency added stay. */
    static void replaceHomeAddress(Patient patient, Address address) {
        patient.getAddress().removeIf(PatientAddresses::isHome);
        patient.getAddress().add(0, address);
    }

    private static String rtRwLine(String rt, String rw) {
        if (present(rt) && present(rw)) {
            return "RT " + rt.strip() + "/RW " + rw.strip();
        }
        if (present(rt)) {
            return "RT " + rt.strip();
        }
        return present(rw) ? "RW " + rw.strip() : null;
    }

    static boolean isHome(Address address) {
        return !address.hasUse() || address.getUse() == Address.AddressUse.HOME;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static String blankToNull(String value) {
        return present(value) ? value.strip() : null;
    }
}
