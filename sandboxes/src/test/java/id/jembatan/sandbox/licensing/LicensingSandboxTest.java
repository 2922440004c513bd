package id.jembatan.sandbox.licensing;

import id.jembatan.connector.licensing.CsvDropWriter;
import id.jembatan.connector.licensing.LicenceUpdate;
import id.jembatan.connector.licensing.LicensingTranslator;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The licensing office's side of the file drop: it reads what the bus's writer drops, once per licence update. */
class LicensingSandboxTest {

    private final CitizenFixtures fixtures = new CitizenFixtures();
    private final LicensingTranslator translator = new LicensingTranslator();

    @Test
    void dropsAreWrittenAtomicallyAndReadByTheSandbox(@TempDir Path dir) throws Exception {
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        CsvDropWriter writer = new CsvDropWriter(dir, "jembatan-licensing", Clock.systemUTC());
        LicenceUpdate death = translator.translate(fixtures.death(nik, CitizenFixtures.today().minusDays(1))).orElseThrow();

        Path file = writer.write(List.of(translator.translate(birth).orElseThrow(), death));
        writer.write(List.of(death));

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains(nik);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
        LicensingSandbox sandbox = new LicensingSandbox(dir, Duration.ofHours(1));
        Files.createDirectories(dir.resolve("processed"));
        Files.createDirectories(dir.resolve("rejected"));
        sandbox.scan();
        assertThat(sandbox.filesRead()).isEqualTo(2);
        assertThat(sandbox.received()).hasSize(2);
        assertThat(sandbox.duplicatesIgnored()).isEqualTo(1);
        assertThat(sandbox.holder(nik).orElseThrow().revokedOn()).isEqualTo(CitizenFixtures.today().minusDays(1));
        assertThat(sandbox.holder(nik).orElseThrow().fullName()).isEqualTo(birth.citizen().fullName());
        assertThat(dir.resolve("processed").resolve(file.getFileName())).exists();
    }
}
