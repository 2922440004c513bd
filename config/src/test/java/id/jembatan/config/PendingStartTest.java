package id.jembatan.config;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Something started on a thread of its own ahead of its bean ({@link PendingStart}): taken, replaced, thrown, stopped. */
class PendingStartTest {

    private final AtomicInteger starts = new AtomicInteger();
    private final List<Started> stopped = new CopyOnWriteArrayList<>();

    private record Started(String inputs, int number) {
    }

    private PendingStart<String, Started> begin(String inputs) {
        return PendingStart.begin("Thing", LoggerFactory.getLogger(PendingStartTest.class), "thing-start", inputs,
                given -> {
                    if (given.equals("fails")) {
                        throw new IOException("cannot start");
                    }
                    return new Started(given, starts.incrementAndGet());
                }, stopped::add);
    }

    /** The bean asks with the inputs it was begun with. Result: it gets what the early start made; nothing stops. */
    @Test
    void theBeanTakesWhatWasStartedForTheSameInputs() throws Exception {
        PendingStart<String, Started> pending = begin("a");
        Started early = pending.started().join();
        assertThat(pending.take("a")).isSameAs(early);
        pending.destroy();
        assertThat(stopped).isEmpty();
        assertThat(starts).hasValue(1);
    }

    /** The bean's inputs differ. Result: the early one is stopped and the bean gets one started for its inputs. */
    @Test
    void otherInputsStopTheEarlyOneAndStartAnother() throws Exception {
        PendingStart<String, Started> pending = begin("a");
        Started early = pending.started().join();
        Started taken = pending.take("b");
        assertThat(taken.inputs()).isEqualTo("b");
        assertThat(stopped).containsExactly(early);
    }

    /** The early start fails. Result: taking it throws that failure, as a start of the bean's own would have. */
    @Test
    void aFailedStartIsThrownWhereItIsTaken() {
        PendingStart<String, Started> pending = begin("fails");
        assertThatThrownBy(() -> pending.take("fails")).isInstanceOf(IOException.class).hasMessage("cannot start");
    }

    /** Nobody takes it (the refresh failed first). Result: closing the context stops it. */
    @Test
    void whatNobodyTookIsStoppedWithTheContext() {
        PendingStart<String, Started> pending = begin("a");
        pending.destroy();
        assertThat(stopped).containsExactly(pending.started().join());
    }
}
