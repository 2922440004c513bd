package id.jembatan.config.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.rules.Nik;
import id.jembatan.trace.EventLogContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bus's {@code logback-spring.xml} under Spring Boot's logging system: structured JSON lines when
 * {@code logging.structured.format.console} is set, with the trace and span ids, the event id and the agency of the
 * logging context as fields; Spring Boot's plain text otherwise; the broker's repeat warning dropped either way.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";

    private final LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
    private final Logger log = LoggerFactory.getLogger("id.jembatan.delivery.Test");
    private final String nik = new CitizenFixtures().birth().citizen().nik();

    @AfterEach
    void reset() {
        MDC.clear();
        logging.cleanUp();
        // Spring Boot hands the settings to Logback as system properties, which outlive one initialization.
        System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT");
    }

    @Test
    void ecsLinesCarryTheTraceTheEventAndTheAgency(CapturedOutput output) throws Exception {
        JsonNode line = logOneLine("ecs", output);
        assertThat(line.path("message").asText()).isEqualTo("delivered to tax for " + Nik.mask(nik));
        assertThat(line.path("log").path("level").asText()).isEqualTo("INFO");
        assertFlowFields(line);
    }

    @Test
    void logstashLinesCarryTheTraceTheEventAndTheAgency(CapturedOutput output) throws Exception {
        JsonNode line = logOneLine("logstash", output);
        assertThat(line.path("message").asText()).isEqualTo("delivered to tax for " + Nik.mask(nik));
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertFlowFields(line);
    }

    @Test
    void plainTextWithoutAFormat(CapturedOutput output) {
        initialize(new MockEnvironment());
        log.info("plain line for {}", Nik.mask(nik));
        String line = lines(output).get(0);
        assertThat(line).contains(" INFO ").contains("plain line for " + Nik.mask(nik)).doesNotStartWith("{");
    }

    @Test
    void theBrokersRepeatWarningIsDroppedFromStructuredLogsToo(CapturedOutput output) {
        initialize(new MockEnvironment().withProperty("logging.structured.format.console", "ecs"));
        LoggerFactory.getLogger("org.apache.activemq.artemis.core.server")
                .warn("AMQ222059: Duplicate message detected - message will not be routed. Message information:\n{}",
                        "CoreMessage[JMSXGroupID=" + nik + "]");
        LoggerFactory.getLogger("org.apache.activemq.artemis.core.server").warn("AMQ222010: Critical IO Error");
        assertThat(output.getOut()).doesNotContain(nik).contains("AMQ222010");
    }

    private JsonNode logOneLine(String format, CapturedOutput output) throws Exception {
        initialize(new MockEnvironment().withProperty("logging.structured.format.console", format)
                .withProperty("spring.application.name", "jembatan"));
        // What Spring Boot's tracing puts in the MDC while a span is current, and what the bus adds.
        MDC.put("traceId", TRACE_ID);
        MDC.put("spanId", SPAN_ID);
        UUID eventId = UUID.randomUUID();
        try (EventLogContext ignored = EventLogContext.open(eventId, "tax")) {
            log.info("delivered to tax for {}", Nik.mask(nik));
        }
        List<String> lines = lines(output);
        assertThat(lines).hasSize(1);
        JsonNode line = JSON.readTree(lines.get(0));
        assertThat(line.path(EventLogContext.EVENT_ID).asText()).isEqualTo(eventId.toString());
        assertThat(lines.get(0)).doesNotContain(nik);
        return line;
    }

    private static void assertFlowFields(JsonNode line) {
        assertThat(line.path("traceId").asText()).isEqualTo(TRACE_ID);
        assertThat(line.path("spanId").asText()).isEqualTo(SPAN_ID);
        assertThat(line.path(EventLogContext.AGENCY).asText()).isEqualTo("tax");
    }

    private void initialize(MockEnvironment environment) {
        logging.beforeInitialize();
        logging.initialize(new LoggingInitializationContext(environment), "classpath:logback-spring.xml", null);
    }

    /** The lines written to the console since the test started, without Logback's own status lines. */
    private static List<String> lines(CapturedOutput output) {
        return output.getOut().lines().filter(l -> l.contains("id.jembatan") || l.startsWith("{")).toList();
    }
}
