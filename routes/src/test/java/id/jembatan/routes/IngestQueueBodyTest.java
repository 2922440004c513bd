package id.jembatan.routes;

import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** How the inbound queue consumer turns a text message's text into the bytes ingest reads. */
class IngestQueueBodyTest {

    @Test
    void wellFormedTextIsPlainUtf8() {
        String text = "{\"fullName\":\"Ren\u00e9 \uD83D\uDE00 Siregar\"}";

        assertThat(IngestRoute.wtf8(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A text message whose text holds an unpaired surrogate (possible in a JMS TextMessage, not in UTF-8). Result:
     * ingest refuses it as MALFORMED_TEXT, where String.getBytes would have made the character a '?' and let the
     * body through.
     */
    @Test
    void anUnpairedSurrogateReachesIngestAsMalformedText() {
        for (String lone : new String[] {"\uD800", "\uDC00", "\uDE00\uD83D"}) {
            byte[] body = IngestRoute.wtf8("{\"fullName\":\"Budi" + lone + " Santoso\"}");

            JembatanException refused = catchThrowableOfType(() -> CanonicalJson.readBody(body),
                    JembatanException.class);

            assertThat(refused.code()).isEqualTo(ErrorCode.MALFORMED_TEXT);
            assertThat(new String(("{\"fullName\":\"Budi" + lone + " Santoso\"}").getBytes(StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8)).contains("?");
        }
    }
}
