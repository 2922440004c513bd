package id.jembatan.api;

import id.jembatan.complaint.ComplaintService;
import id.jembatan.complaint.ComplaintViews;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;


/**
 * Citizens' complaints ({@link ComplaintService}): {@code POST /api/v1/complaints} (the citizen portal files),
 * {@code POST /api/v1/complaints/{trackingNumber}/status} (the agency it is routed to changes its status),
 * {@code GET /api/v1/complaints/{trackingNumber}} (the portal, or the responsible agency) and
 * {@code GET /api/v1/citizens/{nik}/complaints} (the portal). Answers are JSON: the complaint's text is returned as a
 * JSON string and never as markup.
 */
@RestController
@RequestMapping("/api/v1")
public class ComplaintsController {

    private final ComplaintService complaints;

    public ComplaintsController(ComplaintService complaints) {
        this.complaints = complaints;
    }

    @PostMapping(path = "/complaints", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ComplaintViews.State> file(@RequestBody byte[] body,
                                                     @AuthenticationPrincipal String agencyId) {
        ComplaintService.Filed filed = complaints.file(agencyId, body);
        return ResponseEntity.status(filed.repeated() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(filed.state());
    }

    @PostMapping(path = "/complaints/{trackingNumber}/status", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ComplaintViews.State changeStatus(@PathVariable String trackingNumber, @RequestBody byte[] body,
                                             @AuthenticationPrincipal String agencyId) {
        return complaints.changeStatus(agencyId, trackingNumber, body);
    }

    @GetMapping(path = "/complaints/{trackingNumber}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ComplaintViews.Complaint get(@PathVariable String trackingNumber,
                                        @AuthenticationPrincipal String agencyId) {
        return complaints.view(agencyId, trackingNumber, AccessLogController.CITIZEN_PORTAL.equals(agencyId));
    }

    @GetMapping(path = "/citizens/{nik}/complaints", produces = MediaType.APPLICATION_JSON_VALUE)
    public ComplaintViews.Page ofCitizen(@PathVariable String nik,
                                         @RequestParam(defaultValue = "0") String offset,
                                         @RequestParam(defaultValue = "" + AccessLogController.DEFAULT_LIMIT)
                                         String limit,
                                         @AuthenticationPrincipal String agencyId) {
        AccessLogController.requireCitizenPortal(agencyId, nik, "list a citizen's complaints");
        return complaints.ofCitizen(nik, QueryParameters.wholeNumber("offset", offset, 0, Integer.MAX_VALUE),
                QueryParameters.wholeNumber("limit", limit, 1, AccessLogController.MAX_LIMIT));
    }
}
