package id.jembatan.bus;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLDataException;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {

    /** What H2 says when a value does not fit its column: the value itself, a citizen's name. */
    private static final DataIntegrityViolationException TOO_LONG = new DataIntegrityViolationException(
            "PreparedStatementCallback; SQL [INSERT INTO citizen ...]; Value too long for column \"FULL_NAME\": "
                    + "\"'Siti Rahmawati' (199)\"",
            new SQLDataException("Value too long for column \"FULL_NAME\": \"'Siti Rahmawati' (199)\"", "22001"));

    @Test
    void theDescriptionNamesTypesAndSqlStateButNoValue() {
        assertThat(Failures.describe(TOO_LONG))
                .isEqualTo("DataIntegrityViolationException <- SQLDataException (SQL state 22001)");
    }

    @Test
    void theCopyForTheLogKeepsTypesAndStackTracesButNoMessage() {
        Throwable copy = Failures.withoutMessages(TOO_LONG);
        StringWriter printed = new StringWriter();
        copy.printStackTrace(new PrintWriter(printed));

        assertThat(printed.toString())
                .contains("org.springframework.dao.DataIntegrityViolationException")
                .contains("java.sql.SQLDataException (SQL state 22001)")
                .contains("FailuresTest")
                .doesNotContain("Siti").doesNotContain("FULL_NAME");
        assertThat(copy.getStackTrace()).isEqualTo(TOO_LONG.getStackTrace());
        assertThat(copy.getCause().getStackTrace()).isEqualTo(TOO_LONG.getCause().getStackTrace());
    }
}
