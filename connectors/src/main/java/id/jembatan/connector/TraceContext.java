package id.jembatan.connector;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The W3C trace context ({@code traceparent}, and {@code tracestate} when there is one) of the span current on this
 * thread, as headers for a request to an agency or as a value to store: an agency that reads it joins the event's
 * trace. Nothing is added when no span is current (tracing off, or a call outside a traced flow).
 */
public final class TraceContext {

    /** The W3C header and message property that carries the trace and parent span ids. */
    public static final String TRACEPARENT = "traceparent";

    private TraceContext() {
    }

    /** Adds the current trace context as headers, through {@code header(name, value)}. */
    public static void propagate(BiConsumer<String, String> header) {
        W3CTraceContextPropagator.getInstance()
                .inject(Context.current(), header, (h, name, value) -> h.accept(name, value));
    }

    /** The current span's {@code traceparent}, or null when no span is current. */
    public static String traceParent() {
        Map<String, String> headers = new HashMap<>(2);
        propagate(headers::put);
        return headers.get(TRACEPARENT);
    }
}
