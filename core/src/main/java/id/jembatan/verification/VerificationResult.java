package id.jembatan.verification;

/** The only thing an identity verification answers: whether the data match the registered record. */
public enum VerificationResult {
    MATCH,
    /** Also the answer for a NIK that is not registered: the endpoint never reveals which NIKs exist. */
    NO_MATCH
}
