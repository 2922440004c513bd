package id.jembatan.it;

import id.jembatan.ingest.IngestService;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import id.jembatan.sandbox.webhook.ReceivedWebhook;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.rules.Nik;
import id.jembatan.trace.EventLogContext;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace per citizen event, with Spring Boot's tracing on, every trace sampled and the spans the bus exports
 * kept in memory (OpenTelemetry's {@link InMemorySpanExporter}, in place of an OTLP collector). A bus of its own:
 * the kit's bus runs with tracing off, as Spring Boot's tests do by default.
 */
@AutoConfigureObservability(metrics = false)
@TestPropertySource(properties = {"management.tracing.sampling.probability=1.0",
        // The connectors log each delivery at DEBUG: lines of the delivery threads to check the logging context of.
        "logging.level.id.jembatan.connector=DEBUG"})
@Import(TracingIT.SpansInMemory.class)
// Closed after these tests: its memory back, and the id.jembatan MBeans (first come, first registered) left to the
// kit's bus whichever runs first.
@DirtiesContext
class TracingIT extends BusTestSupport {

    /** The exporter Spring Boot's tracing hands every finished span to. */
    @TestConfiguration(proxyBeanMethods = false)
    static class SpansInMemory {
        @Bean
        InMemorySpanExporter inMemorySpanExporter() {
            return InMemorySpanExporter.create();
        }
    }

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Autowired
    InMemorySpanExporter spans;

    /**
     * The civil registry posts a birth with a {@code traceparent} of its own (W3C trace context); the birth goes to
     * the tax office (XML over HTTP), health (FHIR) and social welfare (a webhook). Result: one trace, the registry's,
     * holds the bus's HTTP server span (child of the registry's span), the event's database apply (child of the
     * request), its publication to {@code citizen.events} (child of the apply) and, for each of the three agencies,
     * the event's delivery span ({@code <agency> deliver}, child of the publication, naming the event and the
     * agency's queue); every span's parent is in the trace. The webhook arrives with a {@code traceparent} of that
     * trace whose parent span is social welfare's delivery span, so the agency can join the trace. Every line the bus logs about
     * the event (its acceptance on the request thread, the deliveries on the consumers' threads) carries the trace
     * id, a span id, the event id and the agency in its logging context.
     */
    @Test
    void aBirthIsOneTraceFromTheRequestToEachAgency() {
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String clientSpanId = HexFormat.of().formatHex(randomBytes(8));
        BirthRegistered birth = citizens.birth();
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Logger busLogger = (Logger) LoggerFactory.getLogger("id.jembatan");
        busLogger.addAppender(lines);
        try {
            assertOneTrace(traceId, clientSpanId, birth);
            assertLinesInTheTrace(lines, birth, traceId);
        } finally {
            busLogger.detachAppender(lines);
        }
    }

    private void assertOneTrace(String traceId, String clientSpanId, BirthRegistered birth) {
        HttpResponse<String> accepted = send(request("/api/v1/events", CIVIL_REGISTRY_KEY)
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-" + clientSpanId + "-01")
                .POST(HttpRequest.BodyPublishers.ofString(json(birth))));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        ReceivedWebhook webhook = awaitWebhook("bansos", birth.eventId(), WITHIN);
        assertThat(webhook.traceParent()).as("traceparent at the agency").startsWith("00-" + traceId + "-");

        List<String> agencies = List.of("tax", "health", "bansos");
        List<SpanData> trace = await("the birth's trace with a delivery span for each of " + agencies).atMost(WITHIN)
                .until(() -> trace(traceId), t -> agencies.stream().allMatch(agency -> deliverySpan(t, agency).isPresent()));
        Map<String, SpanData> byId = trace.stream()
                .collect(Collectors.toMap(SpanData::getSpanId, Function.identity(), (a, b) -> a));

        SpanData server = only(trace, s -> s.getKind() == SpanKind.SERVER && s.getName().contains("/api/v1/events"));
        assertThat(server.getParentSpanId()).isEqualTo(clientSpanId);
        SpanData apply = only(trace, s -> s.getName().equals(IngestService.APPLY_SPAN));
        assertThat(apply.getParentSpanId()).isEqualTo(server.getSpanId());
        SpanData publish = only(trace, s -> s.getKind() == SpanKind.PRODUCER && s.getName().startsWith("citizen.events"));
        assertThat(publish.getParentSpanId()).isEqualTo(apply.getSpanId());

        for (String agency : agencies) {
            SpanData delivery = deliverySpan(trace, agency).orElseThrow();
            assertThat(delivery.getParentSpanId()).as(agency + " delivery span's parent, in " + names(trace))
                    .isEqualTo(publish.getSpanId());
            assertThat(delivery.getAttributes().asMap().values()).map(Object::toString)
                    .contains(birth.eventId().toString(), "citizen.events::" + agency);
        }
        for (SpanData span : trace) {
            if (span != server) {
                assertThat(byId).as("parent of " + span.getName()).containsKey(span.getParentSpanId());
            }
        }
        String webhookParent = webhook.traceParent().split("-")[2];
        SpanData bansosDelivery = deliverySpan(trace, "bansos").orElseThrow();
        assertThat(byId).as("the webhook's parent span").containsKey(webhookParent);
        assertThat(webhookParent.equals(bansosDelivery.getSpanId())
                || isUnder(byId.get(webhookParent), bansosDelivery, byId))
                .as("the webhook's parent span is social welfare's delivery or under it").isTrue();
    }

    /**
     * The civil registry sends a birth on the inbound queue {@code civilregistry.events.in} with a {@code traceparent}
     * property of its own. Result: the event's apply is a child of the registry's span, in the registry's trace, and
     * the webhook reaches social welfare with a {@code traceparent} of that trace.
     */
    @Test
    void aBirthOverTheBrokerContinuesTheSendersTrace() throws JMSException {
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String registrySpanId = HexFormat.of().formatHex(randomBytes(8));
        BirthRegistered birth = citizens.birth();
        try (Connection registry = civilRegistryConnectionFactory().createConnection()) {
            Session session = registry.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage message = session.createTextMessage(json(birth));
            message.setStringProperty("traceparent", "00-" + traceId + "-" + registrySpanId + "-01");
            session.createProducer(session.createQueue("civilregistry.events.in")).send(message);
        }

        ReceivedWebhook webhook = awaitWebhook("bansos", birth.eventId(), WITHIN);
        assertThat(webhook.traceParent()).as("traceparent at the agency").startsWith("00-" + traceId + "-");
        SpanData apply = await("the apply's span").atMost(WITHIN)
                .until(() -> trace(traceId).stream().filter(s -> s.getName().equals(IngestService.APPLY_SPAN))
                        .findFirst(), Optional::isPresent).orElseThrow();
        assertThat(apply.getParentSpanId()).isEqualTo(registrySpanId);
        assertThat(apply.getAttributes().asMap()).containsValue(birth.eventId().toString());
    }

    /**
     * The tax office looks a registered citizen up with a {@code traceparent} of its own. Result: the lookup is a
     * server span of the tax office's trace, child of its span, answered 200; the span's path holds the NIK masked,
     * never whole (a trace leaves the bus for the operators' collector).
     */
    @Test
    void aLookupIsASpanOfTheCallersTrace() {
        BirthRegistered birth = citizens.birth();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String taxSpanId = HexFormat.of().formatHex(randomBytes(8));

        HttpResponse<String> answer = send(request("/api/v1/citizens/" + birth.citizen().nik()
                + "?purpose=TAXPAYER_REGISTRATION", TAX_KEY)
                .header("traceparent", "00-" + traceId + "-" + taxSpanId + "-01").GET());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

        SpanData lookup = await("the lookup's span").atMost(WITHIN)
                .until(() -> trace(traceId).stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst(),
                        Optional::isPresent).orElseThrow();
        assertThat(lookup.getParentSpanId()).isEqualTo(taxSpanId);
        assertThat(lookup.getName()).contains("/api/v1/citizens/{nik}");
        assertThat(lookup.getAttributes().asMap().values()).as("attributes of the lookup's span")
                .map(Object::toString).contains("/api/v1/citizens/" + Nik.mask(birth.citizen().nik()))
                .noneMatch(value -> value.contains(birth.citizen().nik()));
    }

    private static void assertLinesInTheTrace(ListAppender<ILoggingEvent> logged, BirthRegistered birth,
                                              String traceId) {
        List<ILoggingEvent> aboutTheEvent;
        synchronized (logged) { // the appender's own lock, held while it appends
            aboutTheEvent = logged.list.stream()
                    .filter(e -> birth.eventId().toString().equals(e.getMDCPropertyMap().get(EventLogContext.EVENT_ID)))
                    .toList();
        }
        assertThat(aboutTheEvent).extracting(e -> e.getMDCPropertyMap().get(EventLogContext.AGENCY))
                .contains("civil-registry", "tax", "bansos");
        for (ILoggingEvent line : aboutTheEvent) {
            assertThat(line.getMDCPropertyMap()).as(line.getFormattedMessage())
                    .containsEntry("traceId", traceId).containsKey("spanId");
        }
    }

    private List<SpanData> trace(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    /** The span of the event's delivery to the agency ({@code <agency> deliver}, a consumer span). */
    private static Optional<SpanData> deliverySpan(List<SpanData> trace, String agency) {
        return trace.stream().filter(s -> s.getName().equals(agency + " deliver")
                && s.getKind() == SpanKind.CONSUMER).findFirst();
    }

    private static boolean isUnder(SpanData span, SpanData ancestor, Map<String, SpanData> byId) {
        for (SpanData s = span; s != null; s = byId.get(s.getParentSpanId())) {
            if (s.getParentSpanId().equals(ancestor.getSpanId())) {
                return true;
            }
        }
        return false;
    }

    private static SpanData only(List<SpanData> trace, java.util.function.Predicate<SpanData> which) {
        List<SpanData> found = trace.stream().filter(which).toList();
        assertThat(found).as("in " + names(trace)).hasSize(1);
        return found.get(0);
    }

    private static List<String> names(List<SpanData> trace) {
        return trace.stream().map(s -> s.getName() + "/" + s.getKind()).toList();
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
