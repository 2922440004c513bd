package id.jembatan.api;

import id.jembatan.connector.NikRedaction;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;
import org.springframework.http.server.observation.ServerHttpObservationDocumentation.HighCardinalityKeyNames;
import org.springframework.stereotype.Component;

/**
 * The path of each request as it reaches the traces (the {@code http.url} attribute of Spring's server span) with
 * every NIK masked ({@code /api/v1/citizens/3171********0001}): a lookup's path holds the citizen's NIK, and a trace
 * leaves the bus for the operators' collector. Spring Boot applies every {@link ObservationFilter} bean before the
 * span is tagged; span names use the path's template ({@code /api/v1/citizens/{nik}}) and hold none.
 */
@Component
public class NikFreeObservations implements ObservationFilter {

    private static final String HTTP_URL = HighCardinalityKeyNames.HTTP_URL.asString();

    @Override
    public Observation.Context map(Observation.Context context) {
        KeyValue url = context.getHighCardinalityKeyValue(HTTP_URL);
        if (url != null) {
            context.addHighCardinalityKeyValue(KeyValue.of(HTTP_URL, NikRedaction.redact(url.getValue())));
        }
        return context;
    }
}
