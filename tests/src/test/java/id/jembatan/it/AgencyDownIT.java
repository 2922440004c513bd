package id.jembatan.it;

import id.jembatan.connector.licensing.LicenceUpdate;
import id.jembatan.sandbox.licensing.LicensingSandbox;
import id.jembatan.sandbox.tax.TaxSandbox;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.CitizenEvent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One agency down does not lose anything and does not hold the others up. */
class AgencyDownIT extends BusTestSupport {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();
    private static final ObjectName TAX = agencyMBean("tax");

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @Autowired
    TaxSandbox tax;

    @Autowired
    LicensingSandbox licensing;

    /**
     * The tax office's server is stopped; 200 events for 50 citizens (a birth, a move, a new name and a death
     * each) are posted by 8 clients in parallel, each citizen's events in order. Result: licensing receives all of
     * them while tax is down, when the bus has tried tax and failed (its failed attempts grew) and tax's 200 wait in
     * its backlog; once tax is started again it receives every one of the 200, exactly once, and each citizen's
     * events in the order they were posted.
     */
    @Test
    void aStoppedAgencyGetsEverythingOnceAndInOrderWhenItReturns() throws Exception {
        long failedBefore = (Long) JMX.getAttribute(TAX, "Failed");
        tax.stop();
        try {
            Map<String, List<CitizenEvent>> byCitizen = new LinkedHashMap<>();
            for (int i = 0; i < 50; i++) {
                BirthRegistered birth = fixtures.birth();
                String nik = birth.citizen().nik();
                byCitizen.put(nik, List.of(birth,
                        fixtures.addressChange(nik, fixtures.otherAddress(birth.citizen().address())),
                        fixtures.nameChange(nik, "Nama Baru " + i),
                        fixtures.death(nik, CitizenFixtures.today().minusDays(1))));
            }
            ExecutorService clients = Executors.newFixedThreadPool(8);
            List<Future<?>> posted = new ArrayList<>();
            for (List<CitizenEvent> life : byCitizen.values()) {
                posted.add(clients.submit(() -> life.forEach(e -> assertThat(
                        postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(e)).statusCode()).isEqualTo(202))));
            }
            for (Future<?> f : posted) {
                f.get();
            }
            clients.shutdown();
            Set<String> eventIds = new HashSet<>();
            byCitizen.values().forEach(l -> l.forEach(e -> eventIds.add(e.eventId().toString())));

            await().atMost(Duration.ofSeconds(30)).until(() -> licensing.received().stream()
                    .map(r -> r.eventId().toString()).filter(eventIds::contains).count() == 200);
            // Licensing had all of them while the bus was still trying tax, and tax's events waited in its queue.
            assertThat(tax.received().stream().map(TaxDeliveryIT::messageIdOf).filter(eventIds::contains))
                    .as("delivered to tax while it was down").isEmpty();
            assertThat((Long) JMX.getAttribute(TAX, "Failed")).as("failed attempts at tax")
                    .isGreaterThan(failedBefore);
            assertThat((Long) JMX.getAttribute(TAX, "Backlog")).as("tax's backlog").isGreaterThanOrEqualTo(200);

            tax.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> tax.received().stream()
                    .map(TaxDeliveryIT::messageIdOf).filter(eventIds::contains).count() == 200);

            List<Object> arrived = tax.received().stream()
                    .filter(d -> eventIds.contains(TaxDeliveryIT.messageIdOf(d))).toList();
            assertThat(arrived.stream().map(TaxDeliveryIT::messageIdOf).distinct().count()).isEqualTo(200);
            byCitizen.forEach((nik, life) -> assertThat(arrived.stream()
                    .filter(d -> TaxDeliveryIT.nikOf(d).equals(nik))
                    .map(TaxDeliveryIT::messageIdOf).toList())
                    .as("tax order for one citizen")
                    .containsExactlyElementsOf(life.stream().map(e -> e.eventId().toString()).toList()));
            byCitizen.forEach((nik, life) -> assertThat(licensing.received().stream()
                    .filter(r -> r.nik().equals(nik)).map(LicenceUpdate::eventId).toList())
                    .as("licensing order for one citizen")
                    .containsExactlyElementsOf(life.stream().map(CitizenEvent::eventId).toList()));
        } finally {
            if (!tax.isRunning()) {
                tax.start();
            }
        }
    }
}
