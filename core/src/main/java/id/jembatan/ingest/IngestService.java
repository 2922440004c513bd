package id.jembatan.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.agency.AgencyDirectory;
import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditTrail;
import id.jembatan.audit.EventFields;
import id.jembatan.bus.Failures;
import id.jembatan.connector.TraceContext;
import id.jembatan.index.EventJournal;
import id.jembatan.index.MasterCitizenIndex;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.validation.EventValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import id.jembatan.trace.EventLogContext;
import id.jembatan.trace.EventTraces;
import id.jembatan.tx.GroupCommit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Ingest of life events from the owner agency, the same for HTTP and the broker: parse within limits, validate
 * (schema and data rules), drop repeats by event id, then apply to the master index, queue for publication and
 * append an {@code EVENT_ACCEPTED} audit entry in one database transaction. A rejection changes nothing.
 */
@Service
public class IngestService implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    /** Audit purpose of an applied event: the owner keeping its own register. */
    public static final String AUDIT_PURPOSE = "EVENT_INGEST";
    /** Audit outcome of an accepted event the index superseded (an older move): journaled, not applied. */
    public static final String SUPERSEDED = "SUPERSEDED";
    /** The span of an event's database apply (index, journal, outbox row, audit entry). */
    public static final String APPLY_SPAN = "event apply";

    private final EventValidator validator;
    private final MasterCitizenIndex index;
    private final EventJournal journal;
    private final AgencyDirectory agencies;
    private final TransactionTemplate transaction;
    /**
     * A savepoint inside {@link #transaction}, for an event applied alone: a lone request, or each event of a group
     * that failed as a whole, so that the one that broke it is refused alone.
     */
    private final TransactionTemplate savepoint;
    private final ApplicationEventPublisher publisher;
    private final AuditTrail audit;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final EventTraces traces;
    private final int maxBodyBytes;
    /** Concurrent HTTP requests share one transaction and commit, applied as one group ({@link #applyTogether}). */
    private final GroupCommit<Grouped, IngestResult> groupCommit;

    /** An event waiting for the next group commit, with the trace context of the request that brought it. */
    private record Grouped(Checked checked, String agencyId, Channel channel, String traceParent) {
    }

    public IngestService(EventValidator validator, MasterCitizenIndex index, EventJournal journal,
                         AgencyDirectory agencies, TransactionTemplate transaction,
                         ApplicationEventPublisher publisher, AuditTrail audit, IngestMetrics metrics,
                         Clock clock, IngestSettings settings, EventTraces traces) {
        this.validator = validator;
        this.index = index;
        this.journal = journal;
        this.agencies = agencies;
        this.transaction = transaction;
        this.savepoint = new TransactionTemplate(transaction.getTransactionManager());
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.publisher = publisher;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.traces = traces;
        this.maxBodyBytes = settings.maxBodyBytes();
        this.groupCommit = new GroupCommit<>("ingest-group-commit", settings.batchSize(),
                // A lone request under a savepoint, as its own group (what GroupCommit also does with each item
                // of a group that failed as a whole); several together, optimistically.
                transaction, group -> (group.size() == 1 ? List.of(applyAlone(group.get(0))) : applyTogether(group))
                .stream()
                .map(outcome -> outcome.rejection() == null ? GroupCommit.Outcome.of(outcome.result())
                        : GroupCommit.Outcome.<IngestResult>failed(outcome.rejection()))
                .toList());
    }

    @Override
    public void destroy() throws InterruptedException {
        groupCommit.close();
    }

    /**
     * Ingests one event body sent by {@code agencyId}: checked on the caller's thread, then applied in a group
     * commit with the other requests waiting at that moment (an event refused there is refused alone, the others
     * commit), returning once that commit is done.
     *
     * @throws JembatanException    with the code of the first problem found; nothing was changed
     * @throws DataAccessException  when the database was busy or unreachable; nothing was changed
     */
    public IngestResult ingest(String agencyId, Channel channel, byte[] body) {
        try {
            Checked checked = check(agencyId, body);
            try (EventLogContext ignored = EventLogContext.open(checked.event().eventId(), agencyId)) {
                // Checked here, on the caller's thread; applied in the next group commit with whatever else waits.
                IngestResult result = groupCommit.submit(new Grouped(checked, agencyId, channel,
                        TraceContext.traceParent()));
                counted(checked.event(), agencyId, channel, result);
                return result;
            }
        } catch (JembatanException rejected) {
            metrics.rejected(rejected.code().name());
            throw rejected;
        }
    }

    /**
     * Ingests a batch of event bodies sent by {@code agencyId}, in order, in one database transaction: each event
     * is checked as {@link #ingest} checks it, then the batch is applied as one group ({@link #applyBatch}): an event
     * that is refused (invalid, conflicting, not allowed) changes nothing and the others commit together. One
     * commit, one query of the journal, one batch each of journal and outbox rows, one audit append and one wake-up
     * of the outbox relay serve the whole batch.
     *
     * @param bodies       the events' UTF-8 JSON; null for a message that carried no readable body (refused)
     * @param traceParents per body, the W3C {@code traceparent} its message carried, so that the event's trace is
     *                     the sender's; an element is null (or missing: the list may be shorter, or empty) where
     *                     the message carried none, and that event's apply is then a span of the batch's trace
     * @return one outcome per body, in the same order
     * @throws RuntimeException when the transaction failed as a whole (database busy or down): nothing of the batch
     *                          was applied, and all of it may be sent again
     */
    public List<BatchOutcome> ingestBatch(String agencyId, Channel channel, List<byte[]> bodies,
                                          List<String> traceParents) {
        List<Screened> screened = bodies.stream().map(body -> screen(agencyId, body)).toList();
        String batchTrace = TraceContext.traceParent();
        List<Grouped> checked = new ArrayList<>(screened.size());
        for (int i = 0; i < screened.size(); i++) {
            if (screened.get(i).rejection() == null) {
                String sent = i < traceParents.size() ? traceParents.get(i) : null;
                checked.add(new Grouped(screened.get(i).checked(), agencyId, channel,
                        sent != null ? sent : batchTrace));
            }
        }
        List<BatchOutcome> applied = checked.isEmpty() ? List.of() : applyBatch(checked);
        List<BatchOutcome> outcomes = new ArrayList<>(screened.size());
        Iterator<BatchOutcome> next = applied.iterator();
        for (Screened item : screened) {
            outcomes.add(item.rejection() != null ? BatchOutcome.rejected(item.rejection()) : next.next());
        }
        metrics.batch(bodies.size());
        for (int i = 0; i < outcomes.size(); i++) {
            BatchOutcome outcome = outcomes.get(i);
            if (outcome.rejection() != null) {
                metrics.rejected(outcome.rejection().code().name());
            } else {
                CitizenEvent event = screened.get(i).checked().event();
                try (EventLogContext ignored = EventLogContext.open(event.eventId(), agencyId)) {
                    counted(event, agencyId, channel, outcome.result());
                }
            }
        }
        return outcomes;
    }

    /** One body of a batch after the checks that need no database: checked, or refused with the reason. */
    private record Screened(Checked checked, JembatanException rejection) {
    }

    private Screened screen(String agencyId, byte[] body) {
        try {
            return new Screened(check(agencyId, body), null);
        } catch (JembatanException rejected) {
            return new Screened(null, rejected);
        }
    }

    /** What became of one event of a batch: its result, or why it was refused. */
    public record BatchOutcome(IngestResult result, JembatanException rejection) {

        static BatchOutcome of(IngestResult result) {
            return new BatchOutcome(result, null);
        }

        static BatchOutcome rejected(JembatanException rejection) {
            return new BatchOutcome(null, rejection);
        }
    }

    /** A body that parsed and passed validation, with the digest that recognises a repeat. */
    private record Checked(CitizenEvent event, String digest) {
    }

    /** Everything that needs no database: sender, size, JSON, schema and data rules, ownership of the type. */
    private Checked check(String agencyId, byte[] body) {
        if (!agencies.ownsAny(agencyId)) {
            throw new JembatanException(ErrorCode.NOT_OWNER,
                    "agency '" + agencyId + "' owns no event type and may not send events");
        }
        if (body == null) {
            throw new JembatanException(ErrorCode.MALFORMED_JSON,
                    "the message has no body the bus can read: send the event as a text or bytes message");
        }
        if (body.length > maxBodyBytes) {
            throw new JembatanException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "body has " + body.length + " bytes; the limit is " + maxBodyBytes);
        }
        JsonNode tree = CanonicalJson.readBody(body);
        CitizenEvent event = validator.validate(tree);
        if (!agencies.owns(agencyId, event.eventType())) {
            throw JembatanException.of(List.of(new FieldError(ErrorCode.NOT_OWNER, "/type",
                    "agency '" + agencyId + "' is not the owner of " + event.eventType().wireName())));
        }
        return new Checked(event, CanonicalJson.digest(tree));
    }

    /**
     * Applies an inbound batch's checked events in order, in one transaction: first all of them together, with no
     * savepoint each ({@link #applyTogether}); when that fails as a whole (a constraint the checks did not foresee,
     * a concurrent apply of one of the same event ids), in a second transaction each event alone under a savepoint
     * of its own ({@link #applyAlone}), so that the one event that failed is refused alone and the others commit.
     * A busy or unreachable database fails the batch as it is.
     */
    private List<BatchOutcome> applyBatch(List<Grouped> batch) {
        try {
            return transaction.execute(status -> applyTogether(batch));
        } catch (RuntimeException failed) {
            if (GroupCommit.unavailable(failed)) {
                throw failed;
            }
            log.debug("A batch of {} events failed as a whole ({}); applying each alone", batch.size(),
                    Failures.describe(failed));
            return transaction.execute(status -> batch.stream().map(this::applyAlone).toList());
        }
    }

    /**
     * Applies one event under a savepoint of its own. A constraint of the database that this event breaks (one
     * that validation should have enforced first: a bug) refuses this event alone, at once, as
     * {@code INTERNAL_ERROR}: sending it again cannot help, and over JMS it would otherwise be redelivered until
     * the broker dead-letters it without a code. The driver's message quotes the event's values, so only its type
     * and SQL state are logged.
     */
    private BatchOutcome applyAlone(Grouped item) {
        CitizenEvent event = item.checked().event();
        try {
            return savepoint.execute(status -> applyTogether(List.of(item))).get(0);
        } catch (DuplicateKeyException raced) {
            // A concurrent request applied the same event id between our read of the journal and our write: answer
            // as for any repeat.
            Optional<String> known = journal.digestOf(event.eventId());
            if (known.isPresent()) {
                return repeated(item.checked(), known.get());
            }
            return brokenConstraint(event, raced);
        } catch (DataIntegrityViolationException broken) {
            return brokenConstraint(event, broken);
        }
    }

    private static BatchOutcome brokenConstraint(CitizenEvent event, DataIntegrityViolationException broken) {
        log.error("{} {} for {} breaks a database constraint that validation did not enforce; refused: {}",
                event.eventType().wireName(), event.eventId(), Nik.mask(event.subjectNik()),
                Failures.describe(broken));
        return BatchOutcome.rejected(new JembatanException(ErrorCode.INTERNAL_ERROR,
                "the bus cannot store this event (event id " + event.eventId() + "); its operators can see why"));
    }

    /**
     * Applies a group's events in order within the current transaction, with one query for the digests of all
     * their ids and, after the index changes one by one, their journal rows, outbox rows and audit entries as
     * batches: a few round trips to the database per group rather than several per event. A refusal by the index
     * writes nothing and leaves the transaction usable ({@link MasterCitizenIndex#change}), so a refused event needs
     * no savepoint. The audit entries are written last, so the chain's lane is held only until the commit that
     * follows; each event is its own span (its outbox row keeps that trace context for the relay).
     *
     * @throws RuntimeException when a write failed (the caller undoes the group and applies its events alone)
     */
    private List<BatchOutcome> applyTogether(List<Grouped> group) {
        // The ids journaled so far; the group's own are added as they apply, so a repeat within it is one too.
        Map<UUID, String> known = new HashMap<>(journal.digestsOf(group.stream()
                .map(g -> g.checked().event().eventId()).collect(Collectors.toSet())));
        List<EventJournal.Entry> entries = new ArrayList<>(group.size());
        List<AuditRecord> records = new ArrayList<>(group.size());
        List<BatchOutcome> outcomes = new ArrayList<>(group.size());
        for (Grouped item : group) {
            CitizenEvent event = item.checked().event();
            try (EventLogContext ignored = EventLogContext.open(event.eventId(), item.agencyId())) {
                outcomes.add(traces.inSpan(APPLY_SPAN, item.traceParent(), event.eventId(),
                        event.eventType().wireName(), () -> applyInGroup(item, known, entries, records)));
            }
        }
        journal.recordAll(entries);
        // In the apply's transaction, and last: the entries exist exactly when the events were accepted, and the
        // chain's lane is held only until the commit that follows. A duplicate is not audited again.
        audit.appendAll(records);
        entries.stream().filter(EventJournal.Entry::publish).reduce((first, second) -> second)
                // One wake-up of the outbox relay after the commit, for the whole group.
                .ifPresent(last -> publisher.publishEvent(new EventApplied(last.event().eventId(),
                        group.get(0).channel())));
        return outcomes;
    }

    /**
     * One event of a group: a repeat of an id already journaled (or earlier in the group) is answered from its
     * digest; otherwise the index applies it and its journal row, outbox row and audit entry join the group's.
     */
    private BatchOutcome applyInGroup(Grouped item, Map<UUID, String> known, List<EventJournal.Entry> entries,
                                      List<AuditRecord> records) {
        Checked checked = item.checked();
        CitizenEvent event = checked.event();
        String digest = known.get(event.eventId());
        if (digest != null) {
            return repeated(checked, digest);
        }
        MasterCitizenIndex.Change change;
        try {
            change = index.change(event);
        } catch (JembatanException refused) {
            // A concurrent request may have applied the same event id since the group read the journal (for a
            // birth that shows as "already registered"): if so, answer as for any repeat.
            Optional<String> raced = journal.digestOf(event.eventId());
            return raced.isPresent() ? repeated(checked, raced.get()) : BatchOutcome.rejected(refused);
        }
        known.put(event.eventId(), checked.digest());
        boolean applied = change.outcome() == MasterCitizenIndex.Outcome.APPLIED;
        // A superseded event (an older move) is journaled, so that a repeat is a duplicate, but not published: the
        // agencies keep the newer address the index holds.
        entries.add(new EventJournal.Entry(event, checked.digest(), item.agencyId(), item.channel().name(),
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC), applied, change.version(),
                TraceContext.traceParent()));
        records.add(new AuditRecord(item.agencyId(), event.subjectNik(), AuditAction.EVENT_ACCEPTED, AUDIT_PURPOSE,
                EventFields.of(event), item.channel().name(),
                applied ? IngestResult.Status.ACCEPTED.name() : SUPERSEDED, event.eventId().toString()));
        if (!applied) {
            log.info("{} {} for {} is dated before the citizen's current address: recorded, not applied and"
                    + " not published", event.eventType().wireName(), event.eventId(), Nik.mask(event.subjectNik()));
        }
        return BatchOutcome.of(new IngestResult(event.eventId(), IngestResult.Status.ACCEPTED));
    }

    /** An event id already journaled: a duplicate when the body is the same, a conflict when it is not. */
    private static BatchOutcome repeated(Checked checked, String knownDigest) {
        UUID eventId = checked.event().eventId();
        if (knownDigest.equals(checked.digest())) {
            return BatchOutcome.of(new IngestResult(eventId, IngestResult.Status.DUPLICATE));
        }
        return BatchOutcome.rejected(JembatanException.of(List.of(new FieldError(ErrorCode.EVENT_ID_CONFLICT,
                "/eventId", "event id " + eventId + " was already used for a different event"))));
    }

    private void counted(CitizenEvent event, String agencyId, Channel channel, IngestResult result) {
        if (result.status() == IngestResult.Status.ACCEPTED) {
            metrics.accepted();
        } else {
            metrics.duplicate();
        }
        log(event, agencyId, channel, result);
    }

    private static void log(CitizenEvent event, String agencyId, Channel channel, IngestResult result) {
        if (result.status() == IngestResult.Status.ACCEPTED) {
            log.info("Accepted {} {} for {} from {} via {}", event.eventType().wireName(), event.eventId(),
                    Nik.mask(event.subjectNik()), agencyId, channel);
        } else {
            log.info("Duplicate {} {} from {} via {} ignored", event.eventType().wireName(), event.eventId(),
                    agencyId, channel);
        }
    }
}
