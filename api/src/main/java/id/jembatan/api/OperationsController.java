package id.jembatan.api;

import id.jembatan.operations.AgencyOperations;
import id.jembatan.operations.AgencySuspension;
import id.jembatan.operations.DeliveryMetrics;
import id.jembatan.operations.OperatorAction;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's HTTP operations for automation (operators only), the same as the Agency MBeans: an agency's
 * delivery state, its dead letters (list, replay, purge), pause and resume, suspend and reinstate. Every change is an
 * audit entry naming the signed-in operator and the reason of the optional body {@code {"reason": "..."}} (required
 * to suspend).
 */
@RestController
@RequestMapping(path = "/api/v1/operations", produces = MediaType.APPLICATION_JSON_VALUE)
public class OperationsController {

    private final AgencyOperations operations;
    private final DeliveryMetrics metrics;
    private final AgencySuspension suspension;

    public OperationsController(AgencyOperations operations, DeliveryMetrics metrics, AgencySuspension suspension) {
        this.operations = operations;
        this.metrics = metrics;
        this.suspension = suspension;
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
