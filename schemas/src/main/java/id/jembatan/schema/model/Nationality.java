package id.jembatan.schema.model;

/** Citizenship: Indonesian citizen (WNI) or foreign resident (WNA). */
public enum Nationality {
    WNI,
    WNA
}
