package id.jembatan.schema.error;

/** One thing wrong with a body: where (a JSON Pointer, RFC 6901), what, and its stable code. */
public record FieldError(ErrorCode code, String pointer, String message) {
}
