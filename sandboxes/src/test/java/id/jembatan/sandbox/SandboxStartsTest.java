package id.jembatan.sandbox;

import id.jembatan.settings.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo agencies' servers start side by side ({@link SandboxStarts}), are waited for, and are stopped after. */
class SandboxStartsTest {

    private final List<String> events = new CopyOnWriteArrayList<>();

    /**
     * Two sandboxes, the first slow to start. Result: {@code begin} returns at once; waiting for the starts returns
     * only once both have started; closing stops both, the last begun first.
     */
    @Test
    void startsRunSideBySideAndAreWaitedForThenStopped() throws InterruptedException {
        SandboxStarts starts = new SandboxStarts();
        CountDownLatch release = new CountDownLatch(1);
        starts.begin("slow", name -> {
            await(release);
            events.add("started " + name);
        }, name -> events.add("stopped " + name), "jembatan.sandbox.slow-port", 0);
        starts.begin("fast", name -> events.add("started " + name), name -> events.add("stopped " + name),
                "jembatan.sandbox.fast-port", 0);
        assertThat(events).doesNotContain("started slow");

        Thread waiting = new Thread(starts::afterSingletonsInstantiated);
        waiting.start();
        waiting.join(200);
        assertThat(waiting.isAlive()).as("waits for the slow start").isTrue();
        release.countDown();
        waiting.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(events).contains("started slow", "started fast");

        starts.destroy();
        assertThat(events.subList(2, 4)).containsExactly("stopped fast", "stopped slow");
    }

    /**
     * A sandbox whose port another program holds. Result: waiting for the starts throws the configuration problem
     * naming the setting that moves the port; closing still stops the others.
     */
    @Test
    void aTakenPortFailsTheWaitNamingTheSetting() throws Exception {
        SandboxStarts starts = new SandboxStarts();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            starts.begin("other", name -> events.add("started " + name), name -> events.add("stopped " + name),
                    "jembatan.sandbox.other-port", 0);
            starts.begin("clash", name -> {
                throw new IllegalStateException("bind failed");
            }, name -> events.add("stopped " + name), "jembatan.sandbox.webhook-port", port);
            assertThatThrownBy(starts::afterSingletonsInstantiated)
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("jembatan.sandbox.webhook-port: 127.0.0.1:" + port + " is already in use");
        }
        starts.destroy();
        assertThat(events).contains("stopped other");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
