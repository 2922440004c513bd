package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.sandbox.tax.TaxSandbox;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator console: Hawtio and its Jolokia bridge to JMX answer only operators (HTTP Basic with the operator
 * key as password, as a browser sends it), and through Jolokia an operator reads and invokes our MBeans; health
 * details are for operators too.
 */
class ConsoleIT extends BusTestSupport {

    @Autowired
    TaxSandbox tax;

    /** Without credentials, and with an agency's key: 401 for the console and Jolokia; with the operator's: 200. */
    @Test
    void consoleAndJolokiaAreForOperatorsOnly() {
        for (String path : new String[]{"/actuator/hawtio/", "/actuator/jolokia/version", "/actuator/prometheus"}) {
            HttpResponse<String> anonymous = send(request(path, null).GET());
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(
                    h -> assertThat(h).startsWith("Basic"));
            assertThat(send(basic(path, TAX_KEY).GET()).statusCode()).as(path).isEqualTo(401);
            assertThat(send(basic(path, OPERATOR_KEY).GET()).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(send(basic("/actuator/hawtio/", OPERATOR_KEY).GET()).body()).containsIgnoringCase("hawtio");
        postJson("/api/v1/events", CIVIL_REGISTRY_KEY, "{not json");
        assertThat(send(request("/actuator/prometheus", OPERATOR_KEY).GET()).body())
                .contains("jembatan_ingest_events_total{code=\"MALFORMED_JSON\",outcome=\"rejected\"}",
                        "jembatan_delivery_backlog{agency=\"tax\"}", "jembatan_delivery_dead_letters{agency=\"tax\"}");
    }

    /**
     * Through Jolokia over HTTP (what Hawtio uses): read the tax agency's backlog, pause and resume its delivery.
     * Result: the attribute answers a number; after pause its Paused attribute is true, after resume false.
     */
    @Test
    void jolokiaReadsAndInvokesOurMBeans() throws Exception {
        String mbean = "id.jembatan:type=Agency,name=tax";
        JsonNode backlog = jolokia("{\"type\":\"read\",\"mbean\":\"" + mbean + "\",\"attribute\":\"Backlog\"}");
        assertThat(backlog.get("status").asInt()).as(backlog.toString()).isEqualTo(200);
        assertThat(backlog.get("value").isNumber()).isTrue();
        // The same read as a plain GET, as the operator guide shows it for scripts.
        HttpResponse<String> read = send(basic("/actuator/jolokia/read/" + mbean + "/Backlog", OPERATOR_KEY).GET());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).get("status").asInt()).as(read.body()).isEqualTo(200);
        try {
            JsonNode paused = jolokia("{\"type\":\"exec\",\"mbean\":\"" + mbean + "\",\"operation\":\"pause\"}");
            assertThat(paused.get("status").asInt()).as(paused.toString()).isEqualTo(200);
            assertThat(jolokia("{\"type\":\"read\",\"mbean\":\"" + mbean + "\",\"attribute\":\"Paused\"}")
                    .get("value").asBoolean()).isTrue();
        } finally {
            jolokia("{\"type\":\"exec\",\"mbean\":\"" + mbean + "\",\"operation\":\"resume\"}");
        }
        assertThat(jolokia("{\"type\":\"read\",\"mbean\":\"" + mbean + "\",\"attribute\":\"Paused\"}")
                .get("value").asBoolean()).isFalse();
    }

    /**
     * The tax office's server is stopped and a birth is posted. Result: an operator sees
     * {@code /actuator/health/agencies/tax} DOWN (503) with the reason and the backlog; an anonymous caller and an
     * agency see only the statuses, no details. Once tax is back it receives the birth and is UP again.
     */
    @Test
    void healthDetailsAreForOperatorsOnly() {
        BirthRegistered birth = new CitizenFixtures().birth();
        tax.stop();
        try {
            assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                HttpResponse<String> operator = get("/actuator/health/agencies/tax", OPERATOR_KEY);
                assertThat(operator.statusCode()).as(operator.body()).isEqualTo(503);
                JsonNode details = read(operator).get("details");
                assertThat(details.get("reason").asText()).as(operator.body()).isNotBlank();
                assertThat(details.get("backlog").asLong()).isPositive();
            });
            for (String caller : new String[]{null, TAX_KEY}) {
                JsonNode down = JSON.createObjectNode().put("status", "DOWN");
                assertThat(read(get("/actuator/health/agencies/tax", caller))).isEqualTo(down);
                HttpResponse<String> whole = get("/actuator/health", caller);
                assertThat(read(whole).at("/components/agencies/components/tax")).isEqualTo(down);
                assertThat(whole.body()).doesNotContain("details", "reason", "backlog");
            }
            assertThat(read(get("/actuator/health", OPERATOR_KEY)).at("/components/agencies/components/tax/details")
                    .has("reason")).isTrue();
        } finally {
            tax.start();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> tax.taxpayer(birth.citizen().nik()).isPresent());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                read(get("/actuator/health/agencies/tax", OPERATOR_KEY)).get("status").asText().equals("UP"));
    }

    /**
     * The console reads many MBeans in one Jolokia POST: an operator sends a bulk read of 200 attributes (over
     * 64 KiB, the limit of an agency's body), and an agency sends an event body of the same size. Result: the
     * operator's request is answered 200 with one result per read; the agency's body is refused 413
     * {@code PAYLOAD_TOO_LARGE}.
     */
    @Test
    void operatorsMaySendTheConsolesLargerBodiesAgenciesMayNot() throws Exception {
        String read = "{\"type\":\"read\",\"mbean\":\"id.jembatan:type=Agency,name=tax\",\"attribute\":\"Backlog\","
                + "\"config\":{\"note\":\"" + "x".repeat(300) + "\"}}";
        String bulk = "[" + String.join(",", java.util.Collections.nCopies(200, read)) + "]";
        assertThat(bulk.length()).isGreaterThan(64 * 1024);

        JsonNode results = jolokia(bulk);
        assertThat(results.size()).isEqualTo(200);
        assertThat(results.get(199).get("status").asInt()).isEqualTo(200);
        HttpResponse<String> agency = send(request("/api/v1/events", CIVIL_REGISTRY_KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(bulk)));
        assertThat(agency.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(agency.body()).get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    private JsonNode jolokia(String body) throws Exception {
        HttpResponse<String> response = send(basic("/actuator/jolokia", OPERATOR_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpRequest.Builder basic(String path, String password) {
        String credentials = Base64.getEncoder().encodeToString(("operator:" + password)
                .getBytes(StandardCharsets.UTF_8));
        return request(path, null).header("Authorization", "Basic " + credentials);
    }
}
