package id.jembatan.schema.model;

/** Religion or belief as printed on the KTP (the six recognised religions plus Kepercayaan). */
public enum Religion {
    ISLAM,
    KRISTEN,
    KATOLIK,
    HINDU,
    BUDDHA,
    KONGHUCU,
    KEPERCAYAAN
}
