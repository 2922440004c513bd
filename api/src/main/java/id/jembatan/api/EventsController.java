package id.jembatan.api;

import id.jembatan.ingest.Channel;
import id.jembatan.ingest.IngestResult;
import id.jembatan.ingest.IngestService;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/events}: the owner agency's life events over HTTP. */
@RestController
@RequestMapping("/api/v1")
public class EventsController {

    private final IngestService ingest;

    public EventsController(IngestService ingest) {
        this.ingest = ingest;
    }

    @PostMapping(path = "/events", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<IngestResponse> post(@RequestBody byte[] body, @AuthenticationPrincipal String agencyId) {
        IngestResult result = ingest.ingest(agencyId, Channel.HTTP, body);
        HttpStatus status = result.status() == IngestResult.Status.ACCEPTED ? HttpStatus.ACCEPTED : HttpStatus.OK;
        return ResponseEntity.status(status).body(new IngestResponse(result.eventId(), result.status().name()));
    }
}
