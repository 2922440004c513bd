package id.jembatan.audit;

/**
 * Where every accepted event, delivery, lookup and verification is recorded. An append joins the caller's
 * database transaction when there is one (an applied event and its audit entry commit together) and is safe under
 * concurrency, also across bus instances.
 */
public interface AuditTrail {

    void append(AuditRecord record);
}
