package id.jembatan.config;

import id.jembatan.schema.rules.RegionCodes;
import id.jembatan.schema.validation.EventValidator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** The plain-Java core the routes and the API share: the clock and the event validator (built once). */
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
}
