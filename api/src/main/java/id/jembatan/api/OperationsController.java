package id.jembatan.api;

import id.jembatan.operations.AgencyOperations;
import id.jembatan.operations.DeliveryMetrics;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.SyncRequest;
import id.jembatan.schema.validation.RequestValidator;
import id.jembatan.sync.SyncJob;
import id.jembatan.sync.SyncJobs;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The operator's HTTP operations for automation (operator key only), the same as the Agency and Sync MBeans: an
 * agency's delivery state, its dead letters (list, replay, purge), pause and resume, its sync jobs (start, follow,
 * cancel).
 */
@RestController
@RequestMapping(path = "/api/v1/operations/agencies", produces = MediaType.APPLICATION_JSON_VALUE)
public class OperationsController {

    private final AgencyOperations operations;
    private final DeliveryMetrics metrics;
    private final SyncJobs syncs;
    private final RequestValidator validator;
    private final Clock clock;

    public OperationsController(AgencyOperations operations, DeliveryMetrics metrics, SyncJobs syncs,
                                RequestValidator validator, Clock clock) {
        this.operations = operations;
        this.metrics = metrics;
        this.syncs = syncs;
        this.validator = validator;
        this.clock = clock;
    }

    /**
     * Starts a sync job: the current record of every citizen in scope, through the agency's connector, then on with
     * the live events. 202 with the job and its {@code Location}.
     */
    @PostMapping(path = "/{agency}/syncs", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> startSync(@PathVariable String agency, @RequestBody byte[] body) {
        known(agency);
        SyncRequest request = validator.sync(CanonicalJson.readBody(body));
        SyncJob job = syncs.start(agency, request);
        URI location = ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(job.id())
                .toUri();
        return ResponseEntity.accepted().location(location).body(view(job));
    }

    /** The agency's sync jobs, newest first. */
    @GetMapping("/{agency}/syncs")
    public List<Map<String, Object>> syncs(@PathVariable String agency) {
        return syncs.of(known(agency)).stream().map(this::view).toList();
    }

    @GetMapping("/{agency}/syncs/{id}")
    public Map<String, Object> sync(@PathVariable String agency, @PathVariable String id) {
        return view(syncs.require(known(agency), syncId(id)));
    }

    /** Cancels the job (a finished one stays as it finished); answers its state. */
    @DeleteMapping("/{agency}/syncs/{id}")
    public Map<String, Object> cancelSync(@PathVariable String agency, @PathVariable String id) {
        return view(syncs.cancel(known(agency), syncId(id)));
    }

    private static UUID syncId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new JembatanException(ErrorCode.RESOURCE_NOT_FOUND, "no sync job '" + id + "'");
        }
    }

    /** A job as the OpenAPI document's SyncJob says. */
    private Map<String, Object> view(SyncJob job) {
        SyncJob seen = operations.paused(job.agency()) ? job.whilePaused() : job;
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", seen.id().toString());
        view.put("agency", seen.agency());
        view.put("state", seen.state().name());
        view.put("total", seen.total());
        view.put("sent", seen.sent());
        view.put("delivered", seen.delivered());
        view.put("failed", seen.failed());
        view.put("ratePerSecond", seen.ratePerSecond());
        view.put("startedAt", seen.startedAt().toInstant().toString());
        Instant eta = seen.eta(clock.instant());
        view.put("eta", eta == null ? null : eta.toString());
        view.put("finishedAt", seen.finishedAt() == null ? null : seen.finishedAt().toInstant().toString());
        view.put("purpose", seen.purpose());
        return view;
    }

    /** Every agency events are delivered to, with its delivery state. */
    @GetMapping
    public List<Map<String, Object>> agencies() {
        return operations.agencies().stream().map(this::state).toList();
    }

    @GetMapping("/{agency}")
    public Map<String, Object> agency(@PathVariable String agency) {
        return state(known(agency));
    }

    @GetMapping("/{agency}/dead-letters")
    public List<AgencyOperations.DeadLetter> deadLetters(@PathVariable String agency,
                                                         @RequestParam(defaultValue = "100") String limit)
            throws Exception {
        return operations.browseDeadLetters(known(agency), QueryParameters.wholeNumber("limit", limit, 1, 1000));
    }

    @PostMapping("/{agency}/dead-letters/replay")
    public Map<String, Object> replay(@PathVariable String agency) throws Exception {
        return Map.of("agency", agency, "replayed", operations.replayDeadLetters(known(agency)));
    }

    @DeleteMapping("/{agency}/dead-letters")
    public Map<String, Object> purge(@PathVariable String agency) throws Exception {
        return Map.of("agency", agency, "purged", operations.purgeDeadLetters(known(agency)));
    }

    @PostMapping("/{agency}/pause")
    public Map<String, Object> pause(@PathVariable String agency) throws Exception {
        operations.pause(known(agency));
        return state(agency);
    }

    @PostMapping("/{agency}/resume")
    public Map<String, Object> resume(@PathVariable String agency) throws Exception {
        operations.resume(known(agency));
        return state(agency);
    }

    private String known(String agency) {
        if (!operations.agencies().contains(agency)) {
            throw new JembatanException(ErrorCode.RESOURCE_NOT_FOUND, "no delivery to an agency '" + agency + "'");
        }
        return agency;
    }

    private Map<String, Object> state(String agency) {
        DeliveryMetrics.LastError error = metrics.lastError(agency);
        return Map.of("agency", agency,
                "paused", operations.paused(agency),
                "backlog", operations.backlog(agency),
                "deadLetters", operations.deadLetters(agency),
                "delivered", metrics.deliveredCount(agency),
                "failed", metrics.failedCount(agency),
                "lastError", error == null ? "" : error.code() + ": " + error.message(),
                "lastErrorTime", error == null ? "" : error.at().toString());
    }
}
