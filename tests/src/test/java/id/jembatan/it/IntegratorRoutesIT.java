package id.jembatan.it;

import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.testkit.JembatanBusTest;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integrators' Camel YAML routes: the kit copies {@code src/test/resources/routes/kiosk-inbox.yaml} into
 * {@code jembatan.routes-dir}, and the bus loads it at start.
 */
class IntegratorRoutesIT extends JembatanBusTest {

    @Autowired
    CamelContext camel;

    @Value("${jembatan.data-dir}")
    Path dataDir;

    /**
     * A kiosk drops a birth as a JSON file into the folder the YAML route reads. Result: the route
     * {@code kiosk-ingest-file} is running, the birth enters the bus through the inbound queue (our seam) and
     * bansos receives it like any other birth.
     */
    @Test
    void aYamlRouteFromTheRoutesFolderFeedsTheBus() throws Exception {
        assertThat(camel.getRouteController().getRouteStatus("kiosk-ingest-file").isStarted()).isTrue();
        BirthRegistered birth = citizens.birth();
        Path inbox = Files.createDirectories(dataDir.resolve("drops/kiosk-inbox"));
        // Written under another name first: the route must never read half a file.
        Path partial = inbox.resolve(birth.eventId() + ".part");
        Files.writeString(partial, CanonicalJson.write(birth), StandardCharsets.UTF_8);
        Files.move(partial, inbox.resolve(birth.eventId() + ".json"), StandardCopyOption.ATOMIC_MOVE);

        awaitWebhook("bansos", birth.eventId());
    }
}
