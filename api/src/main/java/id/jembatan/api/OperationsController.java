package id.jembatan.api;

import id.jembatan.operations.AgencyOperations;
import id.jembatan.operations.DeliveryMetrics;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * The operator's HTTP operations for automation (operator key only), the same as the Agency MBeans: an agency's
 * delivery state, its dead letters (list, replay, purge), pause and resume.
 */
@RestController
@RequestMapping(path = "/api/v1/operations/agencies", produces = MediaType.APPLICATION_JSON_VALUE)
public class OperationsController {

    private final AgencyOperations operations;
    private final DeliveryMetrics metrics;

    public OperationsController(AgencyOperations operations, DeliveryMetrics metrics) {
        this.operations = operations;
        this.metrics = metrics;
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
