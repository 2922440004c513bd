package id.jembatan.config.tracing;

import org.apache.camel.CamelContext;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Camel's routes in the trace of each event: camel-opentelemetry2 (the plain component; its 4.18.0 starter is not on
 * Maven Central) on the OpenTelemetry SDK that Spring Boot's Micrometer tracing configures, so that an HTTP request,
 * the bus's own spans ({@code EventTraces}) and the routes share one tracer, one sampler and one exporter. The tracer
 * finds Spring Boot's {@code io.opentelemetry.api.trace.Tracer} and {@code ContextPropagators} beans in the registry;
 * it is installed before the routes start. With {@code management.tracing.enabled=false} there is no such tracer and
 * Camel's falls back to OpenTelemetry's no-op one.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "camel.opentelemetry2", name = "enabled", matchIfMissing = true)
public class TracingConfiguration {

    @Bean
    OpenTelemetryTracer camelOpenTelemetryTracer(CamelTracingSettings settings) {
        OpenTelemetryTracer tracer = new OpenTelemetryTracer();
        tracer.setExcludePatterns(settings.excludePatterns().isBlank() ? null : settings.excludePatterns());
        tracer.setTraceProcessors(settings.traceProcessors());
        return tracer;
    }

    @Bean
    CamelContextConfiguration camelTracingInstaller(OpenTelemetryTracer tracer) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                tracer.init(camelContext);
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
                // Installed before the routes started.
            }
        };
    }
}
