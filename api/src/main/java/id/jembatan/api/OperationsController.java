package id.jembatan.api;

import id.jembatan.operations.AgencyOperations;
import id.jembatan.operations.AgencySuspension;
import id.jembatan.operations.DeliveryMetrics;
import id.jembatan.operations.OperatorAction;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
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
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The operator's HTTP operations for automation (operators only), the same as the Agency MBeans: an agency's
 * delivery state, its dead letters (list, replay, purge), pause and resume, suspend and reinstate, its sync jobs
 * (start, follow, cancel; also the Sync MBeans). Every change is an
 * audit entry naming the signed-in operator and the reason of the optional body {@code {"reason": "..."}} (required
 * to suspend).
 */
@RestController
@RequestMapping(path = "/api/v1/operations", produces = MediaType.APPLICATION_JSON_VALUE)
public class OperationsController {

    private final AgencyOperations operations;
    private final DeliveryMetrics metrics;
    private final AgencySuspension suspension;
    private final SyncJobs syncs;
    private final RequestValidator validator;
    private final Clock clock;

    public OperationsController(AgencyOperations operations, DeliveryMetrics metrics, AgencySuspension suspension,
                                SyncJobs syncs, RequestValidator validator, Clock clock) {
        this.operations = operations;
        this.metrics = metrics;
        this.suspension = suspension;
        this.syncs = syncs;
        this.validator = validator;
        this.clock = clock;
    }

    /** The optional body of an operator's change: why. */
    public record OperatorRequest(String reason) {
    }

    /** Every agency events are delivered to, with its delivery state and whether it is suspended. */
    @GetMapping("/agencies")
    public List<Map<String, Object>> agencies() {
        return operations.agencies().stream().map(this::state).toList();
    }

    /** The suspended agencies (any configured agency, also one events are not delivered to), by id. */
    @GetMapping("/suspensions")
    public List<Map<String, Object>> suspended() {
        return suspension.suspensions().stream().map(s -> suspensionState(s.agency())).toList();
    }

    @GetMapping("/agencies/{agency}")
    public Map<String, Object> agency(@PathVariable String agency) {
        return state(known(agency));
    }

    @GetMapping("/agencies/{agency}/dead-letters")
    public List<AgencyOperations.DeadLetter> deadLetters(@PathVariable String agency,
                                                         @RequestParam(defaultValue = "100") String limit)
            throws Exception {
        return operations.browseDeadLetters(known(agency), QueryParameters.wholeNumber("limit", limit, 1, 1000));
    }

    @PostMapping("/agencies/{agency}/dead-letters/replay")
    public Map<String, Object> replay(@PathVariable String agency, Principal operator,
                                      @RequestBody(required = false) OperatorRequest body) throws Exception {
        return Map.of("agency", agency,
                "replayed", operations.replayDeadLetters(known(agency), action(operator, body)));
    }

    @DeleteMapping("/agencies/{agency}/dead-letters")
    public Map<String, Object> purge(@PathVariable String agency, Principal operator,
                                     @RequestBody(required = false) OperatorRequest body) throws Exception {
        return Map.of("agency", agency,
                "purged", operations.purgeDeadLetters(known(agency), action(operator, body)));
    }

    @PostMapping("/agencies/{agency}/pause")
    public Map<String, Object> pause(@PathVariable String agency, Principal operator,
                                     @RequestBody(required = false) OperatorRequest body) throws Exception {
        operations.pause(known(agency), action(operator, body));
        return state(agency);
    }

    @PostMapping("/agencies/{agency}/resume")
    public Map<String, Object> resume(@PathVariable String agency, Principal operator,
                                      @RequestBody(required = false) OperatorRequest body) throws Exception {
        operations.resume(known(agency), action(operator, body));
        return state(agency);
    }

    /** Suspends the agency (any configured one); suspending a suspended agency changes nothing. */
    @PostMapping("/agencies/{agency}/suspend")
    public Map<String, Object> suspend(@PathVariable String agency, Principal operator,
                                       @RequestBody(required = false) OperatorRequest body) throws Exception {
        suspension.suspend(configured(agency), action(operator, body));
        return suspensionState(agency);
    }

    /** Reinstates the agency; reinstating an agency that is not suspended changes nothing. */
    @PostMapping("/agencies/{agency}/reinstate")
    public Map<String, Object> reinstate(@PathVariable String agency, Principal operator,
                                         @RequestBody(required = false) OperatorRequest body) throws Exception {
        suspension.reinstate(configured(agency), action(operator, body));
        return suspensionState(agency);
    }

    /**
     * Starts a sync job: the current record of every citizen in scope, through the agency's connector, then on with
     * the live events. 202 with the job and its {@code Location}.
     */
    @PostMapping(path = "/agencies/{agency}/syncs", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> startSync(@PathVariable String agency, @RequestBody byte[] body,
                                                         Principal operator) {
        known(agency);
        SyncRequest request = validator.sync(CanonicalJson.readBody(body));
        SyncJob job = syncs.start(agency, request, action(operator, null));
        URI location = ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(job.id())
                .toUri();
        return ResponseEntity.accepted().location(location).body(view(job));
    }

    /** The agency's sync jobs, newest first. */
    @GetMapping("/agencies/{agency}/syncs")
    public List<Map<String, Object>> syncs(@PathVariable String agency) {
        return syncs.of(known(agency)).stream().map(this::view).toList();
    }

    @GetMapping("/agencies/{agency}/syncs/{id}")
    public Map<String, Object> sync(@PathVariable String agency, @PathVariable String id) {
        return view(syncs.require(known(agency), syncId(id)));
    }

    /** Cancels the job (a finished one stays as it finished); answers its state. */
    @DeleteMapping("/agencies/{agency}/syncs/{id}")
    public Map<String, Object> cancelSync(@PathVariable String agency, @PathVariable String id, Principal operator,
                                          @RequestBody(required = false) OperatorRequest body) {
        return view(syncs.cancel(known(agency), syncId(id), action(operator, body)));
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

    private static OperatorAction action(Principal operator, OperatorRequest body) {
        String reason = body == null || body.reason() == null ? "" : body.reason();
        if (reason.strip().length() > OperatorAction.MAX_REASON) {
            throw JembatanException.of(List.of(new FieldError(ErrorCode.TEXT_TOO_LONG, "/reason",
                    "a reason has at most " + OperatorAction.MAX_REASON + " characters")));
        }
        return new OperatorAction(operator.getName(), reason, OperatorAction.HTTP);
    }

    private String configured(String agency) {
        if (!suspension.agencies().contains(agency)) {
            throw new JembatanException(ErrorCode.RESOURCE_NOT_FOUND, "no agency '" + agency + "'");
        }
        return agency;
    }

    private String known(String agency) {
        if (!operations.agencies().contains(agency)) {
            throw new JembatanException(ErrorCode.RESOURCE_NOT_FOUND, "no delivery to an agency '" + agency + "'");
        }
        return agency;
    }

    private Map<String, Object> state(String agency) {
        DeliveryMetrics.LastError error = metrics.lastError(agency);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("agency", agency);
        state.put("paused", operations.paused(agency));
        state.put("backlog", operations.backlog(agency));
        state.put("deadLetters", operations.deadLetters(agency));
        state.put("delivered", metrics.deliveredCount(agency));
        state.put("failed", metrics.failedCount(agency));
        state.put("lastError", error == null ? "" : error.code() + ": " + error.message());
        state.put("lastErrorTime", error == null ? "" : error.at().toString());
        state.put("suspended", suspension.suspended(agency));
        return state;
    }

    /** Whether the agency is suspended, and if so since when, by whom and why. */
    private Map<String, Object> suspensionState(String agency) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("agency", agency);
        state.put("suspended", suspension.suspended(agency));
        suspension.suspension(agency).ifPresent(s -> {
            state.put("since", s.since().toString());
            state.put("operator", s.operator());
            state.put("reason", s.reason());
        });
        return state;
    }
}
