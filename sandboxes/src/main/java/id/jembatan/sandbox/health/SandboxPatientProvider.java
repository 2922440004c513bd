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
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.util.UrlUtil;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.schema.rules.Nik;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The health sandbox's Patient resources: create, versioned read, update by id or by identifier (conditional), and
 * search by identifier, each Patient checked on the way in the way the agency would (a NIK or mother's NIK is
 * required). Held in memory; every operation takes one lock, so concurrent requests see a consistent store.
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
    /** Every version of every Patient by id, oldest first; guarded by {@link #lock}. */
    private final Map<String, List<Patient>> histories = new LinkedHashMap<>();
    /**
     * The ids of the Patients whose current version has an identifier with this value (any system); guarded by
     * {@link #lock}. Searches and conditional writes look their candidates up here instead of reading every Patient,
     * which made each delivery cost time in proportion to the Patients already held.
     */
    private final Map<String, Set<String>> idsByIdentifierValue = new HashMap<>();
    /** The position of each id in {@link #histories}, so that matches come in the order the Patients were made. */
    private final Map<String, Integer> positions = new HashMap<>();
    private long nextId = 1;
    private final AtomicInteger writes = new AtomicInteger();

    SandboxPatientProvider(Clock clock) {
        this(clock, DEFAULT_SEARCH_REUSE);
    }

    SandboxPatientProvider(Clock clock, Duration searchReuse) {
        this.clock = clock;
        this.searchReuse = searchReuse;
    }

    @Override
    public Class<Patient> getResourceType() {
        return Patient.class;
    }

    /** POST Patient, or with {@code If-None-Exist: identifier=system|value} a conditional create. */
    @Create
    public MethodOutcome create(@ResourceParam Patient patient, @ConditionalUrlParam String ifNoneExist) {
        check(patient);
        synchronized (lock) {
            if (ifNoneExist != null) {
                List<String> ids = matchingIds(ifNoneExist);
                if (ids.size() > 1) {
                    throw new PreconditionFailedException(ids.size() + " Patients match " + masked(ifNoneExist));
                }
                if (ids.size() == 1) {
                    return outcome(latest(ids.get(0)), false);
                }
            }
            return outcome(store(newId(), patient), true);
        }
    }

    /** GET Patient/id (the current version) or Patient/id/_history/v. */
    @Read(version = true)
    public Patient read(@IdParam IdType id) {
        synchronized (lock) {
            List<Patient> history = histories.get(id.getIdPart());
            if (history == null) {
                throw new ResourceNotFoundException(id);
            }
            if (!id.hasVersionIdPart()) {
                return history.get(history.size() - 1).copy();
            }
            int version = versionNumber(id.getVersionIdPart());
            if (version < 1 || version > history.size()) {
                throw new ResourceNotFoundException(id);
            }
            return history.get(version - 1).copy();
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
        check(patient);
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
                if (id.hasVersionIdPart() && !id.getVersionIdPart().equals(currentVersion(target))) {
                    throw new ResourceVersionConflictException("Trying to update Patient/" + target + "/_history/"
                            + id.getVersionIdPart() + " but this is not the current version");
                }
            }
            boolean exists = target != null && histories.containsKey(target);
            return outcome(store(target != null ? target : newId(), patient), !exists);
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
                ids = matchingIds(identifier.getSystem(), identifier.getValue());
                if (!cacheControl.isNoStore()) {
                    searches.addLast(new CachedSearch(key, now, ids));
                }
            }
            return ids.stream().filter(histories::containsKey).map(this::latest).toList();
        }
    }

    /** GET Patient: every current Patient, for a look around in the demo. */
    @Search
    public List<Patient> all() {
        return patients();
    }

    List<Patient> patients() {
        synchronized (lock) {
            return histories.keySet().stream().map(this::latest).toList();
        }
    }

    Optional<Patient> patientByNik(String nik) {
        synchronized (lock) {
            return matchingIds(HealthFhir.NIK_SYSTEM, nik).stream().findFirst().map(this::latest);
        }
    }

    int writes() {
        return writes.get();
    }

    /**
     * The agency's own checks of an incoming Patient: the identifiers that make it findable (NIK or, for a baby,
     * mother's NIK) must be there and be well-formed NIKs, one NIK only, a birth date not in the future and a
     * death not before birth. Anything wrong is a 422 with an OperationOutcome that says where.
     */
    static void check(Patient patient) {
        OperationOutcome outcome = new OperationOutcome();
        List<Identifier> identifiers = patient.getIdentifier();
        List<String> niks = new ArrayList<>();
        boolean findable = false;
        for (int i = 0; i < identifiers.size(); i++) {
            Identifier identifier = identifiers.get(i);
            boolean nik = HealthFhir.NIK_SYSTEM.equals(identifier.getSystem());
            if (!nik && !HealthFhir.MOTHER_NIK_SYSTEM.equals(identifier.getSystem())) {
                continue;
            }
            findable = true;
            if (!Nik.isValid(identifier.getValue())) {
                issue(outcome, OperationOutcome.IssueType.VALUE, "Patient.identifier[" + i + "].value",
                        "not a valid NIK: " + Nik.mask(identifier.getValue()));
            } else if (nik && !niks.contains(identifier.getValue())) {
                niks.add(identifier.getValue());
            }
        }
        if (!findable) {
            issue(outcome, OperationOutcome.IssueType.REQUIRED, "Patient.identifier",
                    "a Patient needs an identifier with system " + HealthFhir.NIK_SYSTEM + " or "
                            + HealthFhir.MOTHER_NIK_SYSTEM);
        }
        if (niks.size() > 1) {
            issue(outcome, OperationOutcome.IssueType.BUSINESSRULE, "Patient.identifier",
                    "a Patient has one NIK, this one has " + niks.size());
        }
        // Today where it is latest on Earth (UTC+14): a birth today anywhere is not in the future. ISO dates of any
        // precision (1999, 1999-08, 1999-08-05) compare correctly as text against the full date.
        String today = LocalDate.now(ZoneOffset.ofHours(14)).toString();
        if (patient.hasBirthDate() && patient.getBirthDateElement().getValueAsString().compareTo(today) > 0) {
            issue(outcome, OperationOutcome.IssueType.BUSINESSRULE, "Patient.birthDate", "lies in the future");
        }
        if (patient.hasBirthDate() && patient.hasDeceasedDateTimeType()
                && patient.getDeceasedDateTimeType().getValue().before(patient.getBirthDate())) {
            issue(outcome, OperationOutcome.IssueType.BUSINESSRULE, "Patient.deceasedDateTime",
                    "lies before Patient.birthDate");
        }
        if (outcome.hasIssue()) {
            throw new UnprocessableEntityException(HealthFhir.context(), outcome);
        }
    }

    private static void issue(OperationOutcome outcome, OperationOutcome.IssueType type, String expression,
                              String diagnostics) {
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(type)
                .setDiagnostics(expression + ": " + diagnostics).addExpression(expression);
    }

    private Patient store(String id, Patient incoming) {
        List<Patient> history = histories.computeIfAbsent(id, key -> {
            positions.put(key, positions.size());
            return new ArrayList<>();
        });
        if (!history.isEmpty()) {
            index(id, history.get(history.size() - 1), false);
        }
        String version = String.valueOf(history.size() + 1);
        Patient stored = incoming.copy();
        stored.setId(new IdType("Patient", id, version));
        stored.getMeta().setVersionId(version).setLastUpdated(Date.from(clock.instant()));
        history.add(stored);
        index(id, stored, true);
        writes.incrementAndGet();
        return stored.copy();
    }

    private String newId() {
        // Server ids are numbers; skip any a client already took through update-as-create.
        String id;
        do {
            id = String.valueOf(nextId++);
        } while (histories.containsKey(id));
        return id;
    }

    private Patient latest(String id) {
        List<Patient> history = histories.get(id);
        return history.get(history.size() - 1).copy();
    }

    /** The current version of the Patient, or null if there is no such Patient. */
    private String currentVersion(String id) {
        List<Patient> history = histories.get(id);
        return history == null ? null : String.valueOf(history.size());
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
        return bar < 0 ? matchingIds(null, token) : matchingIds(token.substring(0, bar), token.substring(bar + 1));
    }

    /** Ids of Patients with an identifier of that system (any system when null) and value. */
    private List<String> matchingIds(String system, String value) {
        if (value == null) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (String id : idsByIdentifierValue.getOrDefault(value, Set.of())) {
            List<Patient> history = histories.get(id);
            Patient current = history.get(history.size() - 1);
            boolean match = current.getIdentifier().stream().anyMatch(identifier ->
                    (system == null || system.isEmpty() || system.equals(identifier.getSystem()))
                            && value.equals(identifier.getValue()));
            if (match) {
                ids.add(id);
            }
        }
        ids.sort(Comparator.comparing(positions::get));
        return ids;
    }

    /** Adds the id under each identifier value of this version of its Patient, or removes it. */
    private void index(String id, Patient version, boolean add) {
        for (Identifier identifier : version.getIdentifier()) {
            String value = identifier.getValue();
            if (value == null) {
                continue;
            }
            if (add) {
                idsByIdentifierValue.computeIfAbsent(value, key -> new HashSet<>()).add(id);
            } else {
                Set<String> ids = idsByIdentifierValue.get(value);
                if (ids != null && ids.remove(id) && ids.isEmpty()) {
                    idsByIdentifierValue.remove(value);
                }
            }
        }
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
