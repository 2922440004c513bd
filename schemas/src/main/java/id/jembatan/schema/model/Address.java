package id.jembatan.schema.model;

/**
 * A domicile address with the Ministry of Home Affairs region codes (province 2, regency 4, district 6 and
 * village 10 digits, each the prefix of the next).
 */
public record Address(
        String street,
        String rt,
        String rw,
        String villageCode,
        String village,
        String districtCode,
        String district,
        String regencyCode,
        String regency,
        String provinceCode,
        String province,
        String postalCode) {
}
