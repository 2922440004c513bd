package id.jembatan.schema.model;

/**
 * A responsible agency's change of a complaint's status ({@code POST /api/v1/complaints/{trackingNumber}/status},
 * {@code schemas/v1/complaints/complaint-status-change.schema.json}).
 *
 * @param status     {@code IN_PROGRESS}, {@code RESOLVED}, {@code REJECTED} or {@code FORWARDED}
 * @param resolution what was done: required with {@code RESOLVED}
 * @param reason     why: required with {@code REJECTED}
 * @param forwardTo  the agency that is responsible instead: required with {@code FORWARDED}
 * @param note       a remark for the citizen, optional
 */
public record ComplaintStatusChange(ComplaintStatus status, String resolution, String reason, String forwardTo,
                                    String note) {
}
