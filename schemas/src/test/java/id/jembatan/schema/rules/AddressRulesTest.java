package id.jembatan.schema.rules;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Address;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class AddressRulesTest {

    private static final String PREFIX = "/citizen/address";

    private final AddressRules rules = new AddressRules(RegionCodes.official());
    private final Address address = new CitizenFixtures().address();

    private static Address withCodes(Address a, String province, String regency, String district, String village) {
        return new Address(a.street(), a.rt(), a.rw(), village, a.village(), district, a.district(), regency,
                a.regency(), province, a.province(), a.postalCode());
    }

    @Test
    void aRealAddressPasses() {
        assertThat(rules.check(address, PREFIX)).isEmpty();
    }

    @Test
    void namesAreNotCompared() {
        Address misspelt = new Address("Jl. Merdeka No. 1", "001", "002", "3171011001", "Gambier", "317101",
                "Gambir Lama", "3171", "Jakarta Pusat", "31", "DKI Jakarta", "10110");

        assertThat(rules.check(misspelt, PREFIX)).isEmpty();
    }

    @Test
    void anUnknownCodeIsReportedAtItsField() {
        Address a = withCodes(address, "31", "3171", "317101", "3171011999");

        assertThat(rules.check(a, PREFIX)).extracting(FieldError::code, FieldError::pointer)
                .containsExactly(tuple(ErrorCode.ADDRESS_UNKNOWN_REGION_CODE, PREFIX + "/villageCode"));
    }

    @Test
    void aCodeOfAnotherLevelIsUnknownAtThisLevel() {
        Address a = withCodes(address, "3171", "317101", "3171011001", "31");

        assertThat(rules.check(a, PREFIX)).extracting(FieldError::code, FieldError::pointer).containsExactly(
                tuple(ErrorCode.ADDRESS_UNKNOWN_REGION_CODE, PREFIX + "/provinceCode"),
                tuple(ErrorCode.ADDRESS_UNKNOWN_REGION_CODE, PREFIX + "/regencyCode"),
                tuple(ErrorCode.ADDRESS_UNKNOWN_REGION_CODE, PREFIX + "/districtCode"),
                tuple(ErrorCode.ADDRESS_UNKNOWN_REGION_CODE, PREFIX + "/villageCode"));
    }

    @Test
    void aVillageOutsideItsDistrictIsAMismatch() {
        // Braga (Bandung) with the district, regency and province of Gambir (Jakarta).
        Address a = withCodes(address, "31", "3171", "317101", "3273191001");

        List<FieldError> errors = rules.check(a, PREFIX);

        assertThat(errors).extracting(FieldError::code, FieldError::pointer)
                .containsExactly(tuple(ErrorCode.ADDRESS_REGION_MISMATCH, PREFIX + "/villageCode"));
        assertThat(errors.get(0).message()).contains("3273191001").contains("317101");
    }

    @Test
    void everyBrokenLinkOfTheChainIsReported() {
        // Province Jawa Barat, regency Jakarta Pusat, district Gambir, village Braga.
        Address a = withCodes(address, "32", "3171", "317101", "3273191001");

        assertThat(rules.check(a, "/address")).extracting(FieldError::code, FieldError::pointer).containsExactly(
                tuple(ErrorCode.ADDRESS_REGION_MISMATCH, "/address/regencyCode"),
                tuple(ErrorCode.ADDRESS_REGION_MISMATCH, "/address/villageCode"));
    }

    @Test
    void aMissingCodeIsUnknown() {
        Address a = withCodes(address, "31", null, "317101", "3171011001");

        assertThat(rules.check(a, PREFIX)).extracting(FieldError::code, FieldError::pointer)
                .containsExactly(tuple(ErrorCode.ADDRESS_UNKNOWN_REGION_CODE, PREFIX + "/regencyCode"));
    }
}
