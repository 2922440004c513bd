package id.jembatan.sync;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.model.SyncRequest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A sync job's figures as operators read them, and the snapshot messages a delivery reads. */
class SyncJobTest {

    private static final OffsetDateTime STARTED = OffsetDateTime.of(2026, 12, 5, 10, 0, 0, 0, ZoneOffset.UTC);

    private static SyncJob job(SyncJob.State state, long total, long sent, long delivered, long failed) {
        return new SyncJob(UUID.randomUUID(), "tax", state, total, sent, delivered, failed, null, STARTED, null,
                SyncJob.INITIAL_LOAD, SyncRequest.Scope.everyone(), null, false);
    }

    @Test
    void theEtaIsThePaceSoFarProjected() {
        Instant now = STARTED.toInstant().plusSeconds(100);
        assertThat(job(SyncJob.State.RUNNING, 1000, 600, 240, 10).eta(now)).isEqualTo(now.plusSeconds(300));
        assertThat(job(SyncJob.State.RUNNING, 1000, 100, 0, 0).eta(now)).isNull();
        assertThat(job(SyncJob.State.COMPLETED, 1000, 1000, 1000, 0).eta(now)).isNull();
    }

    @Test
    void inFlightIsWhatTheAgencyHasNotTakenYet() {
        assertThat(job(SyncJob.State.RUNNING, 1000, 600, 240, 10).inFlight()).isEqualTo(350);
        assertThat(job(SyncJob.State.RUNNING, 1000, 600, 240, 10).whilePaused().state())
                .isEqualTo(SyncJob.State.PAUSED);
        assertThat(job(SyncJob.State.CANCELLED, 1000, 600, 240, 10).whilePaused().state())
                .isEqualTo(SyncJob.State.CANCELLED);
    }

    @Test
    void aSnapshotMessageNamesTheCitizenAndTheJob() {
        UUID job = UUID.randomUUID();
        SyncDelivery.Request request = SyncDelivery.request(
                "{\"type\":\"CitizenSnapshot\",\"nik\":\"3171014508990001\"}", job.toString());
        assertThat(request).isEqualTo(new SyncDelivery.Request("3171014508990001", job));
        assertThatThrownBy(() -> SyncDelivery.request("{\"type\":\"CitizenSnapshot\"}", job.toString()))
                .isInstanceOfSatisfying(JembatanException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON));
        assertThatThrownBy(() -> SyncDelivery.request("not json", job.toString()))
                .isInstanceOf(JembatanException.class);
    }

    @Test
    void aSnapshotsIdChangesWithTheVersionOnly() {
        UUID job = UUID.randomUUID();
        assertThat(SyncDelivery.eventId(job, "3171014508990001", 3))
                .isEqualTo(SyncDelivery.eventId(job, "3171014508990001", 3))
                .isNotEqualTo(SyncDelivery.eventId(job, "3171014508990001", 4));
    }
}
