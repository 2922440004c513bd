package id.jembatan.bench;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.agency.AgencyDirectory;
import id.jembatan.config.BrokerConfiguration;
import id.jembatan.config.BrokerSecurity;
import id.jembatan.operator.OperatorDirectory;
import id.jembatan.operator.OperatorSettings;
import id.jembatan.schema.bus.BusHeaders;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The limit: ActiveMQ Artemis alone, started the way the bus starts it (the bus's own {@code broker.xml}, same
 * journal settings, journal in a temporary folder, in-VM acceptor), carrying the bus's canonical event JSON with the
 * properties the outbox relay sets. The producer sends persistent messages in transactions of {@code batch} like
 * the outbox relay; the consumers each commit every message in a transacted session like the delivery routes.
 * Producer and consumers run at the same time; the figure is messages through the broker per second, from the
 * first send to the last consumer commit.
 */
final class RawBrokerBench {

    private static final int IN_VM_ID = 90;

    private RawBrokerBench() {
    }

    /** One scenario: an address and its durable queues, each read by {@code consumersPerQueue} consumers. */
    record Scenario(String name, String address, RoutingType routing, List<String> queues) {
    }

    static Map<String, Object> run(Scenario scenario, List<BenchEvent> events, int batch, int consumersPerQueue,
                                   int timeoutSeconds) throws Exception {
        Path dir = Files.createTempDirectory("jembatan-bench-raw-");
        EmbeddedActiveMQ broker = startBroker(dir, scenario);
        try {
            return measure(scenario, events, batch, consumersPerQueue, timeoutSeconds);
        } finally {
            broker.stop();
            BusBenchmark.deleteQuietly(dir);
        }
    }

    private static EmbeddedActiveMQ startBroker(Path dir, Scenario scenario) throws Exception {
        // Exactly what BrokerConfiguration does with broker.xml, without the TCP acceptor (the bus's own clients
        // use the in-VM acceptor too).
        FileConfiguration config = BrokerConfiguration.fromBrokerXml("bench-raw", dir);
        config.addAcceptorConfiguration("in-vm", "vm://" + IN_VM_ID);
        config.setJMXManagementEnabled(true);
        config.setAuthenticationCacheSize(0);
        String bufferTimeout = System.getProperty("bench.raw.journal-buffer-timeout-ns", "");
        if (!bufferTimeout.isBlank()) {
            // An experiment only: what a shorter journal buffer timeout than broker.xml's would give.
            config.setJournalBufferTimeout_NIO(Integer.parseInt(bufferTimeout.strip()));
        }
        for (String queue : scenario.queues()) {
            config.addQueueConfiguration(QueueConfiguration.of(queue).setAddress(scenario.address())
                    .setRoutingType(scenario.routing()).setDurable(true));
        }
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        // The bus's own security checks, which every in-VM client passes, with no agency or operator to sign in.
        AgenciesSettings noAgencies = new AgenciesSettings(Map.of());
        broker.setSecurityManager(new BrokerSecurity(new AgencyDirectory(noAgencies),
                new OperatorDirectory(new OperatorSettings(List.of()), noAgencies), agency -> false));
        broker.setMbeanServer(ManagementFactory.getPlatformMBeanServer());
        broker.start();
        return broker;
    }

    private static Map<String, Object> measure(Scenario scenario, List<BenchEvent> events, int batch,
                                               int consumersPerQueue, int timeoutSeconds) throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://" + IN_VM_ID);
        factory.setCacheDestinations(true);
        int n = events.size();
        int expected = n * scenario.queues().size();
        AtomicInteger consumed = new AtomicInteger();
        AtomicLong lastConsumed = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        List<Thread> consumers = new ArrayList<>();
        try (Connection consumerConnection = factory.createConnection();
             Connection producerConnection = factory.createConnection()) {
            consumerConnection.start();
            for (String queue : scenario.queues()) {
                for (int c = 0; c < consumersPerQueue; c++) {
                    Session session = consumerConnection.createSession(true, Session.SESSION_TRANSACTED);
                    String fqqn = scenario.routing() == RoutingType.MULTICAST ? scenario.address() + "::" + queue
                            : queue;
                    MessageConsumer consumer = session.createConsumer(session.createQueue(fqqn));
                    Thread t = new Thread(() -> consume(session, consumer, expected, consumed, lastConsumed, done,
                            failure), "raw-consumer-" + queue + "-" + c);
                    t.setDaemon(true);
                    consumers.add(t);
                }
            }
            consumers.forEach(Thread::start);

            Session session = producerConnection.createSession(true, Session.SESSION_TRANSACTED);
            Destination destination = scenario.routing() == RoutingType.MULTICAST
                    ? session.createTopic(scenario.address()) : session.createQueue(scenario.address());
            MessageProducer producer = session.createProducer(destination);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            long cpuStart = Stats.cpuNanos("self");
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                BenchEvent e = events.get(i);
                TextMessage message = session.createTextMessage(e.json());
                message.setStringProperty(BusHeaders.GROUP_ID, e.nik());
                message.setStringProperty(BusHeaders.DUPLICATE_ID, e.eventId().toString());
                message.setStringProperty(BusHeaders.EVENT_ID, e.eventId().toString());
                message.setStringProperty(BusHeaders.EVENT_TYPE, "BirthRegistered");
                producer.send(message);
                if ((i + 1) % batch == 0 || i == n - 1) {
                    session.commit();
                }
            }
            long produced = System.nanoTime();
            if (!done.await(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(scenario.name() + ": only " + consumed.get() + " of " + expected
                        + " messages consumed within " + timeoutSeconds + " s");
            }
            if (failure.get() != null) {
                throw new IllegalStateException(scenario.name() + ": a consumer failed", failure.get());
            }
            long end = lastConsumed.get();
            long cpu = Stats.cpuNanos("self") - cpuStart;
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("scenario", scenario.name());
            result.put("messages", n);
            result.put("queues", scenario.queues().size());
            result.put("consumersPerQueue", consumersPerQueue);
            result.put("producerTransaction", batch);
            result.put("averageMessageBytes", events.stream().mapToInt(e -> e.json().length()).average().orElse(0));
            result.put("producedPerSecond", perSecond(n, produced - start));
            result.put("messagesPerSecond", perSecond(n, end - start));
            result.put("deliveriesPerSecond", perSecond(expected, end - start));
            result.put("seconds", (end - start) / 1e9);
            result.put("cpuMillisPerMessage", Math.round(cpu / 1e6 / n * 1000) / 1000.0);
            return result;
        } finally {
            consumers.forEach(Thread::interrupt);
        }
    }

    private static void consume(Session session, MessageConsumer consumer, int expected, AtomicInteger consumed,
                                AtomicLong lastConsumed, CountDownLatch done, AtomicReference<Throwable> failure) {
        try {
            while (done.getCount() > 0) {
                Message m = consumer.receive(200);
                if (m == null) {
                    continue;
                }
                ((TextMessage) m).getText();
                session.commit();
                if (consumed.incrementAndGet() == expected) {
                    lastConsumed.set(System.nanoTime());
                    done.countDown();
                }
            }
        } catch (JMSException | RuntimeException e) {
            if (done.getCount() > 0) {
                failure.compareAndSet(null, e);
                done.countDown();
            }
        }
    }

    static double perSecond(long count, long nanos) {
        return Math.round(count / (nanos / 1e9) * 10) / 10.0;
    }
}
