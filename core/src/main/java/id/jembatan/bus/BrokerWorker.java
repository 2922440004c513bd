package id.jembatan.bus;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A thread of the bus that moves what the database holds onto the broker (the outbox relay, the sync runner): started
 * after the broker and the database and stopped before the broker (phase 0), it repeats {@link #step()} until
 * stopped, waiting between steps as the step says or until {@link #wake() woken}; after a failure it closes its broker
 * session ({@link #closeQuietly()}) and tries again after {@link #retryDelay()}.
 */
public abstract class BrokerWorker implements SmartLifecycle {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String threadName;
    private final String description;
    private final boolean autoStartup;
    private final Semaphore wakeups = new Semaphore(0);
    private volatile boolean running;
    private Thread worker;

    /**
     * @param threadName  the worker thread's name
     * @param description what it is, for the log ("Outbox relay")
     * @param autoStartup whether it starts with the application
     */
    protected BrokerWorker(String threadName, String description, boolean autoStartup) {
        this.threadName = threadName;
        this.description = description;
        this.autoStartup = autoStartup;
    }

    /**
     * One step of the work.
     *
     * @return nanoseconds to wait before the next step: 0 to go on at once, a negative number for
     *         {@link #pollInterval()}; a {@link #wake()} ends any wait
     */
    protected abstract long step() throws Exception;

    /** How long to wait for new work when a step found none. */
    protected abstract Duration pollInterval();

    /** How long to wait after a failed step. */
    protected abstract Duration retryDelay();

    /** Closes the broker session after a failure or on stop; never throws. */
    protected abstract void closeQuietly();

    /** Called once the worker thread is started (for a log line). */
    protected void started() {
    }

    /** Ends the current wait: there is work (a commit that added some). */
    public void wake() {
        wakeups.release();
    }

    /** Whether the worker should go on: false once {@link #stop()} was called. */
    protected boolean running() {
        return running;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = new Thread(this::run, threadName);
        worker.setDaemon(true);
        worker.start();
        started();
    }

    @Override
    public synchronized void stop() {
        running = false;
        Thread current = worker;
        if (current != null) {
            current.interrupt();
            try {
                current.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        worker = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    /** After the broker and the database, before the web server: stops before the broker does. */
    @Override
    public int getPhase() {
        return 0;
    }

    private void run() {
        try {
            while (running) {
                try {
                    wakeups.drainPermits();
                    long wait = step();
                    if (wait != 0) {
                        wakeups.tryAcquire(wait < 0 ? pollInterval().toNanos() : wait, TimeUnit.NANOSECONDS);
                    }
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    if (!running) {
                        break;
                    }
                    log.warn("{} failed, retrying in {}: {}", description, retryDelay(), e.toString());
                    closeQuietly();
                    TimeUnit.MILLISECONDS.sleep(retryDelay().toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly();
        }
    }
}
