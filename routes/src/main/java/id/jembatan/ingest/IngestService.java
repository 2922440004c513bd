package id.jembatan.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.agency.AgencyDirectory;
import id.jembatan.audit.AuditAction;
import id.jembatan.audit.AuditRecord;
import id.jembatan.audit.AuditTrail;
import id.jembatan.audit.EventFields;
import id.jembatan.index.EventJournal;
import id.jembatan.operations.IngestMetrics;
import id.jembatan.index.MasterCitizenIndex;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.FieldError;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.rules.Nik;
import id.jembatan.schema.validation.EventValidator;
import id.jembatan.settings.JembatanProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * Ingest of life events from the owner agency, the same for HTTP and the broker: parse within limits, validate
 * (schema and data rules), drop repeats by event id, then apply to the master index, queue for publication and
 * append an {@code EVENT_ACCEPTED} audit entry in one database transaction. A rejection changes nothing.
 */
@Service
public class IngestService {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    /** Audit purpose of an applied event: the owner keeping its own register. */
    public static final String AUDIT_PURPOSE = "EVENT_INGEST";

    private final EventValidator validator;
    private final MasterCitizenIndex index;
    private final EventJournal journal;
    private final AgencyDirectory agencies;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher publisher;
    private final AuditTrail audit;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final int maxBodyBytes;

    public IngestService(EventValidator validator, MasterCitizenIndex index, EventJournal journal,
                         AgencyDirectory agencies, TransactionTemplate transaction,
                         ApplicationEventPublisher publisher, AuditTrail audit, IngestMetrics metrics,
                         Clock clock, JembatanProperties properties) {
        this.validator = validator;
        this.index = index;
        this.journal = journal;
        this.agencies = agencies;
        this.transaction = transaction;
        this.publisher = publisher;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.maxBodyBytes = properties.getIngest().getMaxBodyBytes();
    }

    /**
     * Ingests one event body sent by {@code agencyId}.
     *
     * @throws JembatanException with the code of the first problem found; nothing was changed
     */
    public IngestResult ingest(String agencyId, Channel channel, byte[] body) {
        try {
            IngestResult result = ingestChecked(agencyId, channel, body);
            if (result.status() == IngestResult.Status.ACCEPTED) {
                metrics.accepted();
            } else {
                metrics.duplicate();
            }
            return result;
        } catch (JembatanException rejected) {
            metrics.rejected(rejected.code().name());
            throw rejected;
        }
    }

    private IngestResult ingestChecked(String agencyId, Channel channel, byte[] body) {
        if (!agencies.ownsAny(agencyId)) {
            throw new JembatanException(ErrorCode.NOT_OWNER,
                    "agency '" + agencyId + "' owns no event type and may not send events");
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
        String digest = CanonicalJson.digest(tree);
        IngestResult result;
        try {
            result = applyOnce(event, digest, agencyId, channel);
        } catch (DuplicateKeyException | JembatanException e) {
            // A concurrent request may have applied the same event id between our check and our write (for a
            // birth that shows as "already registered"): if so, answer as for any repeat.
            if (journal.digestOf(event.eventId()).isEmpty()) {
                throw e;
            }
            result = applyOnce(event, digest, agencyId, channel);
        }
        if (result.status() == IngestResult.Status.ACCEPTED) {
            log.info("Accepted {} {} for {} from {} via {}", event.eventType().wireName(), event.eventId(),
                    Nik.mask(event.subjectNik()), agencyId, channel);
        } else {
            log.info("Duplicate {} {} from {} via {} ignored", event.eventType().wireName(), event.eventId(),
                    agencyId, channel);
        }
        return result;
    }

    private IngestResult applyOnce(CitizenEvent event, String digest, String agencyId, Channel channel) {
        return transaction.execute(status -> {
            Optional<String> known = journal.digestOf(event.eventId());
            if (known.isPresent()) {
                if (known.get().equals(digest)) {
                    return new IngestResult(event.eventId(), IngestResult.Status.DUPLICATE);
                }
                throw JembatanException.of(List.of(new FieldError(ErrorCode.EVENT_ID_CONFLICT, "/eventId",
                        "event id " + event.eventId() + " was already used for a different event")));
            }
            index.apply(event);
            journal.record(event, digest, agencyId, channel.name(),
                    OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
            // In the apply's transaction, and last: the entry exists exactly when the event was applied, and the
            // chain's head lock is held only until the commit that follows. A duplicate applies nothing and is not
            // audited again.
            audit.append(new AuditRecord(agencyId, event.subjectNik(), AuditAction.EVENT_ACCEPTED, AUDIT_PURPOSE,
                    EventFields.of(event), channel.name(), IngestResult.Status.ACCEPTED.name(),
                    event.eventId().toString()));
            publisher.publishEvent(new EventApplied(event.eventId()));
            return new IngestResult(event.eventId(), IngestResult.Status.ACCEPTED);
        });
    }
}
