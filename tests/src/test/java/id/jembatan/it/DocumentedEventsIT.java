package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.testkit.JembatanBusTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample events of the quick starts (README.md and docs/agencies.md: a birth, a change of name, a death), posted
 * to the demo bus exactly as their {@code curl} commands post them, in the order the pages give them. On a bus of its
 * own (a configuration of its own starts one): the documented citizen is also the OpenAPI document's example, which
 * {@code ContractIT} registers on the shared bus, and the documented death would end that citizen for it.
 */
@TestPropertySource(properties = "spring.application.name=jembatan-documented-events")
class DocumentedEventsIT extends JembatanBusTest {

    /** The pages a newcomer copies commands from, in the order they are read. */
    private static final List<Path> PAGES = List.of(Path.of("..", "README.md"), Path.of("..", "docs", "agencies.md"));
    /** The integrators' guide, whose webhook signature test vector signs what bansos receives for that death. */
    private static final Path GUIDE = Path.of("..", "docs", "adding-an-agency.md");

    /** A {@code curl} of {@code POST /api/v1/events}: its key and its single-quoted JSON body. */
    private static final Pattern EVENT_CURL = Pattern.compile(
            "curl [^\\n]*http://localhost:8080/api/v1/events \\\\\\n\\s*-H 'X-API-Key: ([^']+)'[^\\n]*\\\\\\n"
                    + "\\s*-d '([^']+)'");

    private static final ObjectMapper JSON = new ObjectMapper();

    private record DocumentedEvent(Path page, String apiKey, String body, JsonNode json) {
    }

    /**
     * Each documented event is posted as its page shows it, with the key it shows. Result: every one is answered
     * 202 ACCEPTED the first time (among them NameChanged and DeathRegistered), and the same event found on the
     * second page, with the same body, 200 DUPLICATE: a reader who follows both pages sees what they promise. The
     * documented death reaches the bansos webhook as exactly the body of the guide's signature test vector.
     */
    @Test
    void everyDocumentedEventIsAccepted() throws IOException {
        List<DocumentedEvent> events = documentedEvents();
        assertThat(events).extracting(e -> e.json().get("type").asText())
                .contains("BirthRegistered", "NameChanged", "DeathRegistered");
        Map<String, DocumentedEvent> posted = new LinkedHashMap<>();
        for (DocumentedEvent event : events) {
            String eventId = event.json().get("eventId").asText();
            DocumentedEvent first = posted.putIfAbsent(eventId, event);
            if (first != null) {
                assertThat(event.json()).as("event %s in %s and %s", eventId, first.page(), event.page())
                        .isEqualTo(first.json());
            }
            HttpResponse<String> answer = send(HttpRequest.newBuilder(busUri("/api/v1/events"))
                    .timeout(Duration.ofSeconds(30))
                    .header("X-API-Key", event.apiKey())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(event.body(), StandardCharsets.UTF_8)));
            String status = first == null ? "ACCEPTED" : "DUPLICATE";
            assertThat(answer.statusCode()).as("%s of %s: %s", event.json().get("type"), event.page(), answer.body())
                    .isEqualTo(first == null ? 202 : 200);
            assertThat(JSON.readTree(answer.body()).get("status").asText()).isEqualTo(status);
        }
        String death = events.stream().filter(e -> e.json().get("type").asText().equals("DeathRegistered"))
                .findFirst().orElseThrow().json().get("eventId").asText();
        Matcher vector = Pattern.compile("^\\| body \\(these exact bytes, UTF-8, no final newline\\) \\| `([^`]+)` "
                + "\\|$", Pattern.MULTILINE).matcher(Files.readString(GUIDE, StandardCharsets.UTF_8));
        assertThat(vector.find()).as("the test vector's body in %s", GUIDE).isTrue();
        assertThat(awaitWebhook("bansos", UUID.fromString(death)).bodyText()).isEqualTo(vector.group(1));
    }

    private static List<DocumentedEvent> documentedEvents() throws IOException {
        List<DocumentedEvent> events = new ArrayList<>();
        for (Path page : PAGES) {
            Matcher curl = EVENT_CURL.matcher(Files.readString(page, StandardCharsets.UTF_8));
            int found = 0;
            while (curl.find()) {
                events.add(new DocumentedEvent(page, curl.group(1), curl.group(2), JSON.readTree(curl.group(2))));
                found++;
            }
            assertThat(found).as("event samples in %s", page).isGreaterThanOrEqualTo(3);
        }
        return events;
    }
}
