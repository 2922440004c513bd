package id.jembatan.tx;

import id.jembatan.tx.GroupCommit.Outcome;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Group commit against a real PostgreSQL server: who shares a transaction, and who fails with whom. */
class GroupCommitTest {

    private static EmbeddedPostgres postgres;
    private static javax.sql.DataSource dataSource;
    private final List<Integer> groupSizes = new CopyOnWriteArrayList<>();
    private final ExecutorService callers = Executors.newFixedThreadPool(16);
    private JdbcTemplate jdbc;
    private TransactionTemplate transaction;
    private GroupCommit<String, Integer> groupCommit;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void database() {
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("DROP TABLE IF EXISTS item");
        jdbc.execute("CREATE TABLE item (name VARCHAR(20) PRIMARY KEY)");
        transaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));
    }

    @AfterEach
    void stop() throws InterruptedException {
        callers.shutdownNow();
        if (groupCommit != null) {
            groupCommit.close();
        }
    }

    /**
     * Sixteen callers at once while the first group is still being applied. Result: every caller gets its own value
     * once its row is committed, and the fifteen that waited share one transaction (two groups in all).
     */
    @Test
    void callersWaitingTogetherShareOneTransaction() throws Exception {
        CountDownLatch allWaiting = new CountDownLatch(1);
        AtomicInteger groups = new AtomicInteger();
        groupCommit = new GroupCommit<>("test-group-commit", 100, transaction, items -> {
            if (groups.getAndIncrement() == 0) {
                await(allWaiting);
            }
            return insert(items);
        });
        List<Future<Integer>> answers = new ArrayList<>();
        answers.add(callers.submit(() -> groupCommit.submit("item-0")));
        awaitGroups(groups, 1);
        for (int i = 1; i < 16; i++) {
            String name = "item-" + i;
            answers.add(callers.submit(() -> groupCommit.submit(name)));
        }
        awaitQueued(15);
        allWaiting.countDown();

        for (int i = 0; i < 16; i++) {
            assertThat(answers.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(("item-" + i).length());
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM item", Integer.class)).isEqualTo(16);
        assertThat(groupSizes).containsExactly(1, 15);
    }

    /**
     * In one group: an item its function refuses alone, and an item that breaks the whole transaction (a duplicate
     * key). Result: the refused caller gets its refusal; the group is tried again item by item, so only the
     * duplicate's caller fails and every other item is committed.
     */
    @Test
    void aRefusedItemOrOneThatBreaksTheGroupFailsOnlyItsCaller() throws Exception {
        jdbc.update("INSERT INTO item (name) VALUES ('taken')");
        CountDownLatch allWaiting = new CountDownLatch(1);
        AtomicInteger groups = new AtomicInteger();
        groupCommit = new GroupCommit<>("test-group-commit", 100, transaction, items -> {
            if (groups.getAndIncrement() == 0) {
                await(allWaiting);
            }
            List<Outcome<Integer>> outcomes = new ArrayList<>();
            for (String item : items) {
                if (item.equals("refused")) {
                    outcomes.add(Outcome.failed(new IllegalArgumentException("refused alone")));
                } else {
                    jdbc.update("INSERT INTO item (name) VALUES (?)", item);
                    outcomes.add(Outcome.of(item.length()));
                }
            }
            return outcomes;
        });
        Future<Integer> first = callers.submit(() -> groupCommit.submit("first"));
        awaitGroups(groups, 1);
        Future<Integer> a = callers.submit(() -> groupCommit.submit("a"));
        Future<Integer> refused = callers.submit(() -> groupCommit.submit("refused"));
        Future<Integer> taken = callers.submit(() -> groupCommit.submit("taken"));
        Future<Integer> b = callers.submit(() -> groupCommit.submit("bb"));
        awaitQueued(4);
        allWaiting.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(5);
        assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("refused alone");
        assertThatThrownBy(() -> taken.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(org.springframework.dao.DuplicateKeyException.class);
        assertThat(jdbc.queryForList("SELECT name FROM item ORDER BY name", String.class))
                .containsExactly("a", "bb", "first", "taken");
    }

    /**
     * The database is busy (a lock timeout) while a group of three is applied. Result: all three callers get that
     * error as it is, and their items are not tried again one by one.
     */
    @Test
    void aBusyDatabaseFailsTheWholeGroupAtOnce() throws Exception {
        CountDownLatch allWaiting = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        groupCommit = new GroupCommit<>("test-group-commit", 100, transaction, items -> {
            if (calls.getAndIncrement() == 0) {
                await(allWaiting);
                return insert(items);
            }
            throw new CannotAcquireLockException("lock timeout");
        });
        Future<Integer> first = callers.submit(() -> groupCommit.submit("first"));
        awaitGroups(calls, 1);
        List<Future<Integer>> busy = new ArrayList<>();
        for (String name : new String[]{"x", "y", "z"}) {
            busy.add(callers.submit(() -> groupCommit.submit(name)));
        }
        awaitQueued(3);
        allWaiting.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(5);
        for (Future<Integer> f : busy) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CannotAcquireLockException.class);
        }
        assertThat(calls.get()).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM item", Integer.class)).isEqualTo(1);
    }

    private List<Outcome<Integer>> insert(List<String> items) {
        groupSizes.add(items.size());
        List<Outcome<Integer>> outcomes = new ArrayList<>();
        for (String item : items) {
            jdbc.update("INSERT INTO item (name) VALUES (?)", item);
            outcomes.add(Outcome.of(item.length()));
        }
        return outcomes;
    }

    /**
     * Applying a group throws an Error (here a StackOverflowError). Result: its caller gets a failure naming it,
     * nothing of its item is committed, and the writer lives on: the next caller's item is committed.
     */
    @Test
    void anErrorFailsItsGroupAndTheWriterGoesOn() throws Exception {
        groupCommit = new GroupCommit<>("test-group-commit", 100, transaction, items -> {
            List<Outcome<Integer>> outcomes = new ArrayList<>();
            for (String item : items) {
                jdbc.update("INSERT INTO item (name) VALUES (?)", item);
                if (item.equals("fatal")) {
                    throw new StackOverflowError("deep");
                }
                outcomes.add(Outcome.of(item.length()));
            }
            return outcomes;
        });

        Future<Integer> fatal = callers.submit(() -> groupCommit.submit("fatal"));
        assertThatThrownBy(() -> fatal.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("StackOverflowError")
                .hasRootCauseInstanceOf(StackOverflowError.class);
        assertThat(callers.submit(() -> groupCommit.submit("after")).get(10, TimeUnit.SECONDS)).isEqualTo(5);
        assertThat(jdbc.queryForList("SELECT name FROM item", String.class)).containsExactly("after");
    }

    private void awaitQueued(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (groupCommit.waiting() < count) {
            assertThat(System.nanoTime()).as("callers queued in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void awaitGroups(AtomicInteger groups, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (groups.get() < count) {
            assertThat(System.nanoTime()).as("writer started in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
