package id.jembatan.testkit;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which agencies the kit's test-scale retries reach, and what still overrides them. */
class TestScaleRetriesTest {

    /**
     * The application's YAML configures tax (with retries of its own) and an integrator's sixth agency; a test's own
     * properties add a seventh and set one of tax's retries explicitly. Result: all three agencies get the test
     * scale; the YAML's value loses to it, the test's explicit value wins.
     */
    @Test
    void everyConfiguredAgencyGetsThemAndExplicitSettingsStillWin() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addLast(new MapPropertySource("application.yaml", Map.of(
                "jembatan.agencies.tax.connector", "xml-http",
                "jembatan.agencies.tax.delivery.maximum-redeliveries", 4,
                "jembatan.agencies.tax.delivery.redelivery-delay", "1s",
                "jembatan.agencies.pensions.subscribes[0]", "BirthRegistered")));
        environment.getPropertySources().addFirst(new MapPropertySource("Dynamic Test Properties", Map.of(
                "jembatan.agencies.kiosk.url", "http://127.0.0.1:1/kiosk",
                "jembatan.agencies.tax.delivery.redelivery-delay", "250ms")));
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            context.setEnvironment(environment);

            new TestScaleRetries().initialize(context);

            for (String agency : new String[]{"tax", "pensions", "kiosk"}) {
                assertThat(environment.getProperty("jembatan.agencies." + agency + ".delivery.maximum-redeliveries"))
                        .as(agency).isEqualTo("2");
                assertThat(environment.getProperty(
                        "jembatan.agencies." + agency + ".delivery.maximum-redelivery-delay")).as(agency)
                        .isEqualTo("1s");
            }
            assertThat(environment.getProperty("jembatan.agencies.pensions.delivery.redelivery-delay"))
                    .isEqualTo("100ms");
            assertThat(environment.getProperty("jembatan.agencies.tax.delivery.redelivery-delay"))
                    .isEqualTo("250ms");
        }
    }
}
