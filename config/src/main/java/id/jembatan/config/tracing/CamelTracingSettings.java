package id.jembatan.config.tracing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Camel's part of tracing ({@code camel.opentelemetry2.*}, the keys camel-opentelemetry2's Spring Boot starter
 * would read): whether routes make spans, and which. Export and sampling are Spring Boot's own
 * ({@code management.otlp.tracing.endpoint}, {@code management.tracing.sampling.probability}).
 *
 * @param enabled         a span per route and per endpoint an exchange is sent to, continuing the trace its
 *                        message carries ({@code traceparent})
 * @param excludePatterns endpoints that make no span, as Camel's patterns ({@code direct:*,timer:*}), comma
 *                        separated; none by default
 * @param traceProcessors a span per processor too: detailed, and costly on every event
 */
@ConfigurationProperties(prefix = "camel.opentelemetry2")
public record CamelTracingSettings(@DefaultValue("true") boolean enabled,
                                   @DefaultValue("") String excludePatterns,
                                   boolean traceProcessors) {
}
