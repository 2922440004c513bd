package id.jembatan.it;

import id.jembatan.sandbox.tax.TaxSandbox;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator does through JMX (the platform MBean server, as JConsole and Hawtio's Jolokia see it): read an
 * agency's backlog, pause and resume its delivery, replay its dead letters; read ingest figures; verify the audit
 * chain. Camel's and Artemis' own MBeans stay registered beside ours.
 */
class OperationsIT extends BusTestSupport {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @Autowired
    TaxSandbox tax;

    /** Result: ours under {@code id.jembatan}, and Camel's and Artemis' MBeans, are all registered. */
    @Test
    void mbeansAreRegistered() throws Exception {
        for (String agency : List.of("tax", "health", "licensing")) {
            assertThat(JMX.isRegistered(agency(agency))).as(agency).isTrue();
        }
        assertThat(JMX.isRegistered(new ObjectName("id.jembatan:type=Audit"))).isTrue();
        assertThat(JMX.isRegistered(new ObjectName("id.jembatan:type=Ingest"))).isTrue();
        assertThat(JMX.queryNames(new ObjectName("org.apache.camel:type=routes,*"), null)).isNotEmpty();
        assertThat(JMX.queryNames(new ObjectName("org.apache.activemq.artemis:broker=*"), null)).isNotEmpty();
    }

    /**
     * Delivery to tax is paused through its MBean; 5 births are posted. Result: tax receives none of them and its
     * backlog attribute shows 5, as does the Prometheus gauge; after resume() the backlog drains to 0 and tax has
     * all 5.
     */
    @Test
    void pauseGrowsTheBacklogAndResumeDrainsIt() throws Exception {
        ObjectName taxMBean = agency("tax");
        JMX.invoke(taxMBean, "pause", null, null);
        try {
            assertThat((Boolean) JMX.getAttribute(taxMBean, "Paused")).isTrue();
            List<BirthRegistered> births = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                BirthRegistered birth = fixtures.birth();
                births.add(birth);
                assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> (Long) JMX.getAttribute(taxMBean, "Backlog") >= 5);
            assertThat(births).noneMatch(b -> tax.taxpayer(b.citizen().nik()).isPresent());
            long backlog = (Long) JMX.getAttribute(taxMBean, "Backlog");
            assertThat(get("/actuator/prometheus", OPERATOR_KEY).body())
                    .contains("jembatan_delivery_backlog{agency=\"tax\"} " + backlog + ".0");

            JMX.invoke(taxMBean, "resume", null, null);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat((Long) JMX.getAttribute(taxMBean, "Backlog")).as("tax backlog").isZero());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> births.stream().allMatch(b -> tax.taxpayer(b.citizen().nik()).isPresent()));
            assertThat((Long) JMX.getAttribute(taxMBean, "Delivered")).isGreaterThanOrEqualTo(5);
        } finally {
            JMX.invoke(taxMBean, "resume", null, null);
        }
    }

    /**
     * Tax refuses a birth until it is dead-lettered; tax is fixed; replayDeadLetters() is invoked. Result: it
     * returns the number moved, the birth reaches tax, the dead-letter count is back to 0, and the last error shows
     * what went wrong.
     */
    @Test
    void replayReturnsDeadLettersToDelivery() throws Exception {
        ObjectName taxMBean = agency("tax");
        JMX.invoke(taxMBean, "purgeDeadLetters", null, null);
        BirthRegistered birth = fixtures.birth();
        tax.setFailWith(400);
        try {
            postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> (Long) JMX.getAttribute(taxMBean, "DeadLetters") >= 1);
        } finally {
            tax.setFailWith(0);
        }
        assertThat((String) JMX.getAttribute(taxMBean, "LastError")).startsWith("AGENCY_REJECTED");
        assertThat((Long) JMX.getAttribute(taxMBean, "Failed")).isGreaterThanOrEqualTo(3);

        int replayed = (Integer) JMX.invoke(taxMBean, "replayDeadLetters", null, null);

        assertThat(replayed).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> tax.taxpayer(birth.citizen().nik()).isPresent());
        assertThat((Long) JMX.getAttribute(taxMBean, "DeadLetters")).isZero();
    }

    /**
     * A birth and a body that is not JSON are posted. Result: the Ingest MBean's accepted count grew by one and its
     * MALFORMED_JSON rejections by one; the Audit MBean verifies the chain.
     */
    @Test
    void ingestAndAuditMBeansAnswer() throws Exception {
        ObjectName ingest = new ObjectName("id.jembatan:type=Ingest");
        long before = (Long) JMX.getAttribute(ingest, "Accepted");
        long malformedBefore = rejected(ingest, "MALFORMED_JSON");
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(fixtures.birth())).statusCode())
                .isEqualTo(202);
        assertProblem(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, "{not json"), 400, "MALFORMED_JSON");

        assertThat((Long) JMX.getAttribute(ingest, "Accepted")).isEqualTo(before + 1);
        assertThat(rejected(ingest, "MALFORMED_JSON")).isEqualTo(malformedBefore + 1);
        assertThat((String) JMX.invoke(new ObjectName("id.jembatan:type=Audit"), "verify", null, null))
                .startsWith("valid");
    }

    /** Rejections of {@code code} so far, as the Ingest MBean's RejectedByCode table shows them (0: no row yet). */
    private static long rejected(ObjectName ingest, String code) throws Exception {
        CompositeData row = ((TabularData) JMX.getAttribute(ingest, "RejectedByCode")).get(new Object[]{code});
        return row == null ? 0 : (Long) row.get("value");
    }

    private static ObjectName agency(String id) {
        return agencyMBean(id);
    }

    /**
     * The same operations over HTTP for automation. Result: with the operator key the agency list, pause, resume
     * and the dead-letter list answer 200; an agency key gets 403 {@code OPERATOR_ONLY}; an unknown agency 404.
     */
    @Test
    void httpOperationsAreForOperatorsOnly() {
        String operator = OPERATOR_KEY;
        assertThat(get("/api/v1/operations/agencies", operator).statusCode()).isEqualTo(200);
        assertThat(read(get("/api/v1/operations/agencies/licensing", operator)).get("paused").asBoolean()).isFalse();
        var paused = send(request("/api/v1/operations/agencies/licensing/pause", operator)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(read(paused).get("paused").asBoolean()).isTrue();
        var resumed = send(request("/api/v1/operations/agencies/licensing/resume", operator)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(read(resumed).get("paused").asBoolean()).isFalse();
        assertThat(get("/api/v1/operations/agencies/tax/dead-letters", operator).statusCode()).isEqualTo(200);
        assertProblem(get("/api/v1/operations/agencies", TAX_KEY), 403, "OPERATOR_ONLY");
        assertProblem(get("/api/v1/operations/agencies/nobody", operator), 404, "RESOURCE_NOT_FOUND");
    }
}
