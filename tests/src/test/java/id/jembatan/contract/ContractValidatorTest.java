package id.jembatan.contract;

import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract check itself: answers that keep the published document pass, and each kind of drift between the code
 * and the document (a renamed, added or retyped field, an undocumented status, path or header, a code under the
 * wrong status) is caught.
 */
class ContractValidatorTest {

    private static final HttpHeaders JSON = headers("application/json");
    private static final HttpHeaders PROBLEM = headers("application/problem+json");
    private static final String EVENT_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    private final ContractValidator contract = ContractValidator.v1();

    private static HttpHeaders headers(String contentType, String... more) {
        Map<String, List<String>> values = new HashMap<>(Map.of("Content-Type", List.of(contentType)));
        for (int i = 0; i < more.length; i += 2) {
            values.put(more[i], List.of(more[i + 1]));
        }
        return HttpHeaders.of(values, (name, value) -> true);
    }

    @Test
    void anAnswerAsDocumentedPasses() {
        assertThat(contract.violations("POST", "/api/v1/events", 202, JSON,
                "{\"eventId\":\"" + EVENT_ID + "\",\"status\":\"ACCEPTED\"}")).isEmpty();
        assertThat(contract.violations("GET", "/api/v1/citizens/3171014508990001", 200, JSON,
                "{\"nik\":\"3171014508990001\",\"fullName\":\"Siti Rahmawati\",\"sex\":\"FEMALE\",\"deceased\":false,"
                        + "\"dateOfDeath\":null}")).isEmpty();
        assertThat(contract.violations("POST", "/api/v1/citizens/verify", 200, JSON, "{\"result\":\"NO_MATCH\"}"))
                .isEmpty();
    }

    @Test
    void aRenamedFieldFails() {
        assertThat(contract.violations("POST", "/api/v1/events", 202, JSON,
                "{\"id\":\"" + EVENT_ID + "\",\"status\":\"ACCEPTED\"}"))
                .anySatisfy(v -> assertThat(v).contains("eventId"))
                .anySatisfy(v -> assertThat(v).contains("id"));
    }

    @Test
    void anAddedFieldFails() {
        assertThat(contract.violations("POST", "/api/v1/citizens/verify", 200, JSON,
                "{\"result\":\"MATCH\",\"fullName\":\"Siti Rahmawati\"}"))
                .singleElement().asString().contains("fullName");
    }

    @Test
    void aRetypedOrOutOfRangeValueFails() {
        assertThat(contract.violations("GET", "/api/v1/citizens/3171014508990001", 200, JSON,
                "{\"nik\":\"3171014508990001\",\"sex\":\"F\"}"))
                .isNotEmpty().allSatisfy(v -> assertThat(v).startsWith("/sex"));
        assertThat(contract.violations("POST", "/api/v1/events", 200, JSON,
                "{\"eventId\":\"" + EVENT_ID + "\",\"status\":\"ACCEPTED\"}")).isNotEmpty();
        assertThat(contract.violations("POST", "/api/v1/events", 202, JSON,
                "{\"eventId\":\"not-a-uuid\",\"status\":\"ACCEPTED\"}")).isNotEmpty();
    }

    @Test
    void aProblemMustCarryAKnownCodeOfItsStatus() {
        String problem = "{\"type\":\"https://jembatan.id/problems/%s\",\"title\":\"t\",\"status\":%d,"
                + "\"detail\":\"d\",\"code\":\"%s\"}";
        assertThat(contract.violations("GET", "/api/v1/citizens/3171014508990001", 404, PROBLEM,
                problem.formatted("citizen-not-found", 404, "CITIZEN_NOT_FOUND"))).isEmpty();
        assertThat(contract.violations("GET", "/api/v1/citizens/3171014508990001", 404, PROBLEM,
                problem.formatted("citizen-missing", 404, "CITIZEN_MISSING"))).isNotEmpty();
        assertThat(contract.violations("GET", "/api/v1/citizens/3171014508990001", 400, PROBLEM,
                problem.formatted("citizen-not-found", 400, "CITIZEN_NOT_FOUND")))
                .singleElement().asString().contains("means 404");
    }

    @Test
    void anUndocumentedStatusPathOrContentTypeFails() {
        assertThat(contract.violations("POST", "/api/v1/events", 201, JSON,
                "{\"eventId\":\"" + EVENT_ID + "\",\"status\":\"ACCEPTED\"}"))
                .singleElement().asString().contains("status 201 is not documented");
        assertThat(contract.violations("GET", "/api/v1/agencies", 200, JSON, "[]"))
                .singleElement().asString().contains("not in the contract");
        assertThat(contract.violations("POST", "/api/v1/citizens/verify", 200, headers("text/plain"), "MATCH"))
                .singleElement().asString().contains("content type 'text/plain'");
    }

    @Test
    void aDocumentedHeaderMustBeSent() {
        String limited = "{\"type\":\"https://jembatan.id/problems/rate-limited\",\"title\":\"t\",\"status\":429,"
                + "\"detail\":\"d\",\"code\":\"RATE_LIMITED\"}";
        assertThat(contract.violations("POST", "/api/v1/citizens/verify", 429, PROBLEM, limited))
                .singleElement().asString().contains("Retry-After");
        assertThat(contract.violations("POST", "/api/v1/citizens/verify", 429,
                headers("application/problem+json", "Retry-After", "1"), limited)).isEmpty();
    }
}
