package id.jembatan.api;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.api.token.TokenPurposes;
import id.jembatan.services.OwnerServices;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * Owner services through the bus: {@code GET /api/v1/services} lists the services the calling agency may call, with
 * its purposes for each and the request and response schemas; {@code POST /api/v1/services/{owner}/{service}
 * ?purpose=P} asks one (JSON in and out; the bus speaks the owner's protocol), audited; an owner that cannot answer
 * now is 503 {@code OWNER_UNAVAILABLE} or 504 {@code OWNER_TIMEOUT} with {@code Retry-After}.
 */
@RestController
@RequestMapping("/api/v1/services")
public class ServicesController {

    /** The catalogue: every service the caller may call. */
    public record Catalogue(List<OwnerServices.CatalogueEntry> services) {
    }

    private final OwnerServices services;

    public ServicesController(OwnerServices services) {
        this.services = services;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public Catalogue catalogue(@AuthenticationPrincipal String agencyId) {
        return new Catalogue(services.catalogue(agencyId));
    }

    @PostMapping(path = "/{owner}/{service}", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public JsonNode call(@PathVariable String owner, @PathVariable String service,
                         @RequestParam(required = false) String purpose, @RequestBody byte[] body,
                         @AuthenticationPrincipal String agencyId) {
        TokenPurposes.requireGranted(purpose);
        return services.call(agencyId, owner, service, purpose, "query parameter purpose", body);
    }
}
