package id.jembatan.schema.model;

/** Sex as recorded by the civil registry; encoded in the NIK (women's birth day + 40). */
public enum Sex {
    MALE,
    FEMALE
}
