package id.jembatan.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.read.ListAppender;
import id.jembatan.config.logging.BrokerRepeatLogFilter;
import id.jembatan.sandbox.webhook.ReceivedWebhook;
import id.jembatan.schema.model.AddressChanged;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.DeathReported;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The message group ({@code JMSXGroupID}) of a citizen's messages on the broker is a keyed hash of the NIK, not the
 * NIK: what the broker holds, logs and shows an operator carries no NIK, while the broker still hands one citizen's
 * events to one consumer at a time, in order. A broker logs each repeat it drops (Artemis' AMQ222059, with the
 * message's properties), and an external broker, which the bus's own log filter does not reach, would log the group.
 */
class MessageGroupIT extends BusTestSupport {

    private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");
    private static final int CITIZENS = 12;

    /**
     * Twelve citizens are born, then each moves, then each moves again, posted round by round so that their events
     * interleave. Result: every event published on {@code citizen.events} carries a group of 32 hex digits that
     * contains neither the NIK nor its last ten digits; one citizen's three events share one group and no two
     * citizens share one; and the social welfare webhook, delivered by four parallel consumers, received each
     * citizen's three events in the order they were posted.
     */
    @Test
    void theGroupOnTheBrokerCarriesNoNikAndKeepsEachCitizensOrder() throws Exception {
        MessageConsumer subscriber = subscribeToCitizenEvents();
        List<BirthRegistered> births = new ArrayList<>();
        for (int i = 0; i < CITIZENS; i++) {
            births.add(citizens.birth());
        }
        Map<String, List<String>> posted = new LinkedHashMap<>();
        Map<String, String> nikOfEvent = new HashMap<>();
        List<AddressChanged> moves = births.stream().map(b -> citizens.addressChange(b.citizen().nik(),
                citizens.otherAddress(b.citizen().address()))).toList();
        List<List<CitizenEvent>> rounds = List.of(
                List.copyOf(births),
                List.copyOf(moves),
                moves.stream().map(m -> (CitizenEvent) citizens.addressChange(m.nik(),
                        citizens.otherAddress(m.address()))).toList());
        for (List<CitizenEvent> round : rounds) {
            for (CitizenEvent event : round) {
                publish(event);
                posted.computeIfAbsent(event.subjectNik(), n -> new ArrayList<>()).add(event.eventId().toString());
                nikOfEvent.put(event.eventId().toString(), event.subjectNik());
            }
        }

        Map<String, Set<String>> groupsOfCitizen = new HashMap<>();
        int seen = 0;
        while (seen < nikOfEvent.size()) {
            Message m = subscriber.receive(20_000);
            assertThat(m).as("published events (%d of %d seen)", seen, nikOfEvent.size()).isNotNull();
            String nik = nikOfEvent.get(m.getStringProperty("JembatanEventId"));
            if (nik == null) {
                continue;
            }
            seen++;
            String group = m.getStringProperty("JMSXGroupID");
            assertThat(group).matches("[0-9a-f]{32}").doesNotContain(nik).doesNotContain(nik.substring(6))
                    .isEqualTo(groupOf(nik));
            groupsOfCitizen.computeIfAbsent(nik, n -> new HashSet<>()).add(group);
        }
        assertThat(groupsOfCitizen.values()).allSatisfy(groups -> assertThat(groups).hasSize(1));
        assertThat(groupsOfCitizen.values().stream().flatMap(Set::stream).collect(Collectors.toSet()))
                .hasSize(CITIZENS);

        await().atMost(DEFAULT_WAIT).until(() -> webhooksReceived("bansos").stream()
                .filter(r -> nikOfEvent.containsKey(r.eventId())).count() >= nikOfEvent.size());
        Map<String, List<String>> received = new HashMap<>();
        for (ReceivedWebhook r : webhooksReceived("bansos")) {
            String nik = nikOfEvent.get(r.eventId());
            if (nik != null) {
                received.computeIfAbsent(nik, n -> new ArrayList<>()).add(r.eventId());
            }
        }
        assertThat(received).isEqualTo(posted);
    }

    /**
     * The logging filter that drops the broker's AMQ222059 line in the bus's own log is taken away, as it is not
     * there on an external broker; a hospital sends the same notification twice, so that the broker drops the
     * second. Result: the broker logs the repeat with the message's properties, and the line holds the citizen's
     * group and not the NIK.
     */
    @Test
    void theBrokersLineForADroppedRepeatNamesNoNik() {
        BirthRegistered birth = citizens.birth();
        String nik = birth.citizen().nik();
        publish(birth);
        DeathReported report = citizens.deathReport(nik, LocalDate.now(JAKARTA).minusDays(1));
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger broker = logging.getLogger("org.apache.activemq.artemis");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.setContext(logging);
        lines.start();
        List<TurboFilter> removed = logging.getTurboFilterList().stream()
                .filter(f -> f instanceof BrokerRepeatLogFilter).toList();
        logging.getTurboFilterList().removeAll(removed);
        broker.addAppender(lines);
        try {
            for (int i = 0; i < 2; i++) {
                assertThat(postJson("/api/v1/notifications", HEALTH_KEY, json(report)).statusCode()).isEqualTo(202);
            }
            await().atMost(DEFAULT_WAIT).until(() -> repeats(lines, report.notificationId()).isPresent());
        } finally {
            broker.detachAppender(lines);
            logging.getTurboFilterList().addAll(removed);
        }
        String line = repeats(lines, report.notificationId()).orElseThrow();
        assertThat(line).contains(groupOf(nik)).doesNotContain(nik).doesNotContain(nik.substring(6));
    }

    /** The broker's line for the dropped repeat of this notification, if it has logged it. */
    private static Optional<String> repeats(ListAppender<ILoggingEvent> lines, UUID notificationId) {
        synchronized (lines) {
            return new ArrayList<>(lines.list).stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.startsWith("AMQ222059") && m.contains(notificationId.toString()))
                    .findFirst();
        }
    }

    /**
     * Social welfare refuses a birth until it is dead-lettered; its delivery is paused and its dead letters are
     * replayed (operator, HTTP). Result: the dead letter and the replayed event waiting in its queue carry the
     * citizen's group, so the replay goes back into the citizen's order; after resume the birth is delivered.
     */
    @Test
    void aReplayedDeadLetterKeepsItsGroup() throws Exception {
        String operations = "/api/v1/operations/agencies/bansos";
        BirthRegistered birth = citizens.birth();
        String nik = birth.citizen().nik();
        webhookSandbox().setFailWith(422);
        Message dead;
        try {
            dead = awaitDeadLetter("bansos", publish(birth), Duration.ofSeconds(30));
        } finally {
            webhookSandbox().setFailWith(0);
        }
        assertThat(dead.getStringProperty("JMSXGroupID")).isEqualTo(groupOf(nik));

        assertThat(send(request(operations + "/pause", OPERATOR_KEY).POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(200);
        try {
            assertThat(read(send(request(operations + "/dead-letters/replay", OPERATOR_KEY)
                    .POST(HttpRequest.BodyPublishers.noBody()))).path("replayed").asInt()).isPositive();
            Message waiting = await().atMost(DEFAULT_WAIT).until(() -> queued("citizen.events::bansos",
                    birth.eventId()), Optional::isPresent).orElseThrow();
            assertThat(waiting.getStringProperty("JMSXGroupID")).isEqualTo(groupOf(nik));
        } finally {
            send(request(operations + "/resume", OPERATOR_KEY).POST(HttpRequest.BodyPublishers.noBody()));
        }
        awaitWebhook("bansos", birth.eventId());
    }

    private Optional<Message> queued(String queue, UUID eventId) throws Exception {
        Session session = session(false);
        QueueBrowser browser = session.createBrowser(session.createQueue(queue),
                "JembatanEventId = '" + eventId + "'");
        List<?> found = Collections.list(browser.getEnumeration());
        browser.close();
        return found.stream().map(Message.class::cast).findFirst();
    }
}
