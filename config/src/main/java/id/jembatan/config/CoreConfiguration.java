package id.jembatan.config;

import id.jembatan.connector.webhook.CanonicalJsonTranslator;
import id.jembatan.schema.rules.RegionCodes;
import id.jembatan.schema.validation.EventValidator;
import id.jembatan.schema.validation.RequestValidator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * The plain-Java core the routes and the API share: clock, event and request validators (built once), agency HTTP
 * client, the canonical JSON format.
 */
@Configuration(proxyBeanMethods = false)
public class CoreConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    EventValidator eventValidator(Clock clock) {
        return new EventValidator(RegionCodes.official(), clock);
    }

    @Bean
    RequestValidator requestValidator(Clock clock) {
        return new RequestValidator(clock);
    }

    /** The format of {@code json-http} agencies that have no translator of their own: the canonical JSON. */
    @Bean
    CanonicalJsonTranslator canonicalJsonTranslator() {
        return new CanonicalJsonTranslator();
    }

    /** One HTTP client for every HTTP agency connector (it pools connections; per-request timeouts are set). */
    @Bean
    HttpClient agencyHttpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }
}
