package id.jembatan.connector.licensing;

import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CsvDropWriterTest {

    private final CitizenFixtures fixtures = new CitizenFixtures();
    private final LicensingTranslator translator = new LicensingTranslator();

    /**
     * A citizen's birth, move, new name and death written as four files within one millisecond (a batch's rounds
     * come that fast), with a clock that stands still. Result: the files' names sort in the order they were written,
     * which is the order the licensing office reads them in; none is a temporary file.
     */
    @Test
    void filesWrittenWithinOneMillisecondSortInTheOrderTheyWereWritten(@TempDir Path directory) throws Exception {
        Clock stopped = Clock.fixed(Instant.parse("2026-12-05T10:15:30.123Z"), ZoneOffset.UTC);
        CsvDropWriter writer = new CsvDropWriter(directory, "jembatan-licensing", stopped);
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        List<Path> written = new ArrayList<>();
        for (var event : List.of(birth, fixtures.addressChange(nik, fixtures.otherAddress(birth.citizen().address())),
                fixtures.nameChange(nik, "Dewi Lestari Putri"), fixtures.death(nik, CitizenFixtures.today()))) {
            written.add(writer.write(List.of(translator.translate(event).orElseThrow())).getFileName());
        }

        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(Path::getFileName).sorted().toList()).containsExactlyElementsOf(written);
        }
    }
}
