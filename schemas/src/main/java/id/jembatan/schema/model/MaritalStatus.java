package id.jembatan.schema.model;

/** Marital status: belum kawin, kawin, cerai hidup, cerai mati. */
public enum MaritalStatus {
    SINGLE,
    MARRIED,
    DIVORCED,
    WIDOWED
}
