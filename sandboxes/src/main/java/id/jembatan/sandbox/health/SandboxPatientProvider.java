package id.jembatan.sandbox.health;

import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.util.UrlUtil;
import id.jembatan.connector.health.HealthFhir;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The health sandbox's Patient resources: create, versioned read, update by id or by identifier (conditional), and
 * search by identifier, each Patient checked on the way in the way the agency would ({@link PatientChecks}: a NIK or
 * mother's NIK is required). Held in memory ({@link PatientVersions}); every operation takes one lock, so concurrent
 * requests see a consistent store.
 *
 * <p>Where it matters to a client, it answers as the server health agencies run, HAPI FHIR's JPA server (8.8),
 * does:
 * <ul>
 *   <li>a search's results are reused for {@link #DEFAULT_SEARCH_REUSE} by the same search: the Patients that
 *       matched then, in their current version, even if others match now. {@code Cache-Control: no-cache} asks for
 *       a fresh search; its results are kept too, but a later search reuses the oldest results still in the period
 *       (HAPI takes the first stored search it finds, in practice the oldest). {@code no-store}: not kept;</li>
 *   <li>{@code If-Match} on an update by id ({@code PUT Patient/<id>}) with a version that is not the current one is
 *       refused with 409 Conflict; on a conditional update ({@code PUT Patient?identifier=}) it is ignored;</li>
 *   <li>a conditional create or update that matches several Patients is refused with 412 Precondition Failed.</li>
 * </ul>
 */
final class SandboxPatientProvider implements IResourceProvider {

    /** How long a search's results are reused: HAPI FHIR JPA's default ({@code reuseCachedSearchResultsForMillis}). */
    static final Duration DEFAULT_SEARCH_REUSE = Duration.ofSeconds(60);
    private static final Set<String> RESPONSE_FORMAT_PARAMETERS = Set.of("_format", "_pretty");

    private final Clock clock;
    private final Duration searchReuse;
    /** The searches made, oldest first, with the ids each matched; guarded by {@link #lock}. */
    private final ArrayDeque<CachedSearch> searches = new ArrayDeque<>();
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final PatientVersions versions;

    SandboxPatientProvider(Clock clock) {
        this(clock, DEFAULT_SEARCH_REUSE);
    }

    SandboxPatientProvider(Clock clock, Duration searchReuse) {
        this.clock = clock;
        this.searchReuse = searchReuse;
        this.versions = new PatientVersions(clock);
    }

    @Override
    public Class<Patient> getResourceType() {
        return Patient.class;
    }

    /** POST Patient, or with {@code If-None-Exist: identifier=system|value} a conditional create. */
    @Create
    public MethodOutcome create(@ResourceParam Patient patient, @ConditionalUrlParam String ifNoneExist) {
        PatientChecks.check(patient);
        synchronized (lock) {
            if (ifNoneExist != null) {
                List<String> ids = matchingIds(ifNoneExist);
                if (ids.size() > 1) {
                    throw new PreconditionFailedException(ids.size() + " Patients match " + masked(ifNoneExist));
                }
                if (ids.size() == 1) {
                    return outcome(versions.latest(ids.get(0)), false);
                }
            }
            return outcome(versions.store(versions.newId(), patient), true);
        }
    }

    /** GET Patient/id (the current version) or Patient/id/_history/v. */
    @Read(version = true)
    public Patient read(@IdParam IdType id) {
        synchronized (lock) {
            if (!versions.exists(id.getIdPart())) {
                throw new ResourceNotFoundException(id);
            }
            if (!id.hasVersionIdPart()) {
                return versions.latest(id.getIdPart());
            }
            Patient version = versions.version(id.getIdPart(), versionNumber(id.getVersionIdPart()));
            if (version == null) {
                throw new ResourceNotFoundException(id);
            }
            return version;
        }
    }

    /**
     * PUT Patient/id, or PUT Patient?identifier=system|value (conditional: creates when nothing matches, updates the
     * one match, 412 when several match). {@code If-Match} protects an update by id against lost updates (HAPI's
     * server puts its version on the id: 409 when it is not the current one); a conditional update ignores it, as
     * HAPI FHIR's JPA server does.
     */
    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam Patient patient,
                                @ConditionalUrlParam String conditionalUrl) {
        PatientChecks.check(patient);
        synchronized (lock) {
            String target;
            if (conditionalUrl != null) {
                List<String> ids = matchingIds(conditionalUrl);
                if (ids.size() > 1) {
                    throw new PreconditionFailedException(ids.size() + " Patients match " + masked(conditionalUrl)
                            + ": a conditional update needs at most one");
                }
                target = ids.isEmpty() ? null : ids.get(0);
            } else {
                target = id.getIdPart();
                if (id.hasVersionIdPart() && !id.getVersionIdPart().equals(versions.currentVersion(target))) {
                    throw new ResourceVersionConflictException("Trying to update Patient/" + target + "/_history/"
                            + id.getVersionIdPart() + " but this is not the current version");
                }
            }
            boolean exists = target != null && versions.exists(target);
            return outcome(versions.store(target != null ? target : versions.newId(), patient), !exists);
        }
    }

    /**
     * GET Patient?identifier=[system|]value: a searchset of the current versions of the Patients that match, or
     * that matched when the same search was made less than the reuse period ago (see the class comment).
     */
    @Search
    public List<Patient> search(@RequiredParam(name = Patient.SP_IDENTIFIER) TokenParam identifier,
                                RequestDetails request) {
        CacheControlDirective cacheControl = new CacheControlDirective()
                .parse(request.getHeaders(Constants.HEADER_CACHE_CONTROL));
        String key = (identifier.getSystem() == null ? "" : identifier.getSystem()) + "|" + identifier.getValue();
        synchronized (lock) {
            Instant now = clock.instant();
            forgetSearchesBefore(now.minus(searchReuse));
            Optional<CachedSearch> reusable = cacheControl.isNoCache() ? Optional.empty()
                    : searches.stream().filter(search -> search.key().equals(key)).findFirst();
            List<String> ids;
            if (reusable.isPresent()) {
                ids = reusable.get().ids();
            } else {
                ids = versions.matchingIds(identifier.getSystem(), identifier.getValue());
                if (!cacheControl.isNoStore()) {
                    searches.addLast(new CachedSearch(key, now, ids));
                }
            }
            return ids.stream().filter(versions::exists).map(versions::latest).toList();
        }
    }

    /** GET Patient: every current Patient, for a look around in the demo. */
    @Search
    public List<Patient> all() {
        return patients();
    }

    List<Patient> patients() {
        synchronized (lock) {
            return versions.all();
        }
    }

    Optional<Patient> patientByNik(String nik) {
        synchronized (lock) {
            return versions.matchingIds(HealthFhir.NIK_SYSTEM, nik).stream().findFirst().map(versions::latest);
        }
    }

    int writes() {
        return versions.writes();
    }

    private void forgetSearchesBefore(Instant oldest) {
        while (!searches.isEmpty() && searches.peekFirst().at().isBefore(oldest)) {
            searches.removeFirst();
        }
    }

    /** What a search matched and when. */
    private record CachedSearch(String key, Instant at, List<String> ids) {
    }

    /** The ids whose current version matches a conditional URL such as {@code Patient?identifier=system|value}. */
    private List<String> matchingIds(String conditionalUrl) {
        int query = conditionalUrl.indexOf('?');
        Map<String, String[]> params = new LinkedHashMap<>(UrlUtil.parseQueryString(query < 0 ? conditionalUrl
                : conditionalUrl.substring(query + 1)));
        // FHIR's general parameters say how to answer, not which Patient is meant.
        params.keySet().removeAll(RESPONSE_FORMAT_PARAMETERS);
        String[] identifier = params.get(Patient.SP_IDENTIFIER);
        if (params.size() != 1 || identifier == null || identifier.length != 1) {
            throw new InvalidRequestException("the health sandbox supports conditional operations on exactly one "
                    + "identifier parameter, not " + masked(conditionalUrl));
        }
        String token = identifier[0];
        int bar = token.indexOf('|');
        return bar < 0 ? versions.matchingIds(null, token)
                : versions.matchingIds(token.substring(0, bar), token.substring(bar + 1));
    }

    private static MethodOutcome outcome(Patient patient, boolean created) {
        MethodOutcome outcome = new MethodOutcome(patient.getIdElement(), created);
        outcome.setResource(patient);
        return outcome;
    }

    private static int versionNumber(String version) {
        try {
            return Integer.parseInt(version);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A search or conditional URL as it may appear in an answer or a log: NIK values masked. */
    private static String masked(String url) {
        return UrlUtil.unescape(url).replaceAll("(\\d{4})\\d{8}(\\d{4})", "$1********$2");
    }
}
