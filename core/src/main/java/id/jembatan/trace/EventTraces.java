package id.jembatan.trace;

import id.jembatan.connector.TraceContext;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The spans of an event's way through the bus that no framework makes: the database apply (on the group commit's
 * thread, a child of the request or message that brought the event) and the publication by the outbox relay (a
 * child of the apply, whose {@code traceparent} the outbox row keeps). Spring Boot traces the HTTP requests and Camel
 * the routes; these join them into one trace per event. With tracing off they cost a no-op.
 */
@Component
public class EventTraces {

    /** Instrumentation scope of the bus's own spans. */
    public static final String SCOPE = "id.jembatan";
    public static final String EVENT_ID = "jembatan.event.id";
    public static final String EVENT_TYPE = "jembatan.event.type";
    public static final String AGENCY = "jembatan.agency";

    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(TraceContext.TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TraceContext.TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private final Tracer tracer;

    /** The application's OpenTelemetry (Spring Boot's), or none when tracing is off. */
    @Autowired
    public EventTraces(ObjectProvider<OpenTelemetry> openTelemetry) {
        this(openTelemetry.getIfAvailable(OpenTelemetry::noop));
    }

    public EventTraces(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(SCOPE);
    }

    /**
     * Runs {@code work} in a span named {@code name}, a child of {@code parent} (a {@code traceparent} taken on the
     * thread that received the event; null: a new trace), current while it runs.
     */
    public <T> T inSpan(String name, String parent, UUID eventId, String eventType, Supplier<T> work) {
        Span span = tracer.spanBuilder(name).setParent(context(parent)).startSpan();
        span.setAttribute(EVENT_ID, eventId.toString());
        span.setAttribute(EVENT_TYPE, eventType);
        try (Scope ignored = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * Starts the producer span of one event's publication to {@code address}, a child of the {@code traceparent}
     * its outbox row kept (null: a new trace); the caller ends it once the message is sent and puts
     * {@link #traceParent(Span)} on the message, so that each agency's delivery continues the trace.
     */
    public Span publishing(String address, String parent, UUID eventId, String eventType) {
        return messaging(address + " publish", SpanKind.PRODUCER, "send", address, parent, eventId, eventType)
                .startSpan();
    }

    /**
     * Starts the consumer span of one event's delivery to {@code agency} from its queue, a child of the
     * {@code traceparent} its message carries (the publication's; null: a new trace). Events delivered together in
     * one batch each have their own span, as long as the batch; the caller makes the first one current while the
     * agency is called, so that what the connector sends on joins that event's trace, and ends them all.
     */
    public Span delivering(String agency, String queue, String parent, UUID eventId, String eventType) {
        return messaging(agency + " deliver", SpanKind.CONSUMER, "process", queue, parent, eventId, eventType)
                .setAttribute(AGENCY, agency)
                .startSpan();
    }

    /** A span of one event's way through the broker, with the messaging attributes OpenTelemetry names. */
    private SpanBuilder messaging(String name, SpanKind kind, String operation, String destination, String parent,
                                  UUID eventId, String eventType) {
        return tracer.spanBuilder(name)
                .setParent(context(parent))
                .setSpanKind(kind)
                .setAttribute("messaging.system", "activemq")
                .setAttribute("messaging.operation.type", operation)
                .setAttribute("messaging.destination.name", destination)
                .setAttribute(EVENT_ID, eventId.toString())
                .setAttribute(EVENT_TYPE, eventType);
    }

    /** The {@code traceparent} of a span (also of one not sampled, flagged so), or null when tracing is off. */
    public static String traceParent(Span span) {
        try (Scope ignored = span.makeCurrent()) {
            return TraceContext.traceParent();
        }
    }

    private static Context context(String traceParent) {
        Context root = Context.root();
        return traceParent == null ? root
                : W3CTraceContextPropagator.getInstance().extract(root, traceParent, TRACEPARENT);
    }
}
