package id.jembatan.config.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import org.springframework.boot.logging.logback.StructuredLogEncoder;

import java.nio.charset.Charset;

/**
 * Log lines as Spring Boot writes them without a Logback file of its own: structured (JSON in the format
 * {@code logging.structured.format.console} names: {@code ecs}, {@code logstash}, {@code gelf}), or
 * plain text in Boot's pattern when no format is set, the default for a developer's console. Spring Boot's
 * {@code console-appender.xml} and {@code structured-console-appender.xml} each fix one of the two; the bus's
 * {@code logback-spring.xml} (which adds the filters that keep personal data out of the log) needs both, chosen by
 * the setting.
 */
public class BootLogEncoder extends EncoderBase<ILoggingEvent> {

    private String format;
    private String pattern;
    private Charset charset;
    private Encoder<ILoggingEvent> delegate;

    /** The structured format ({@code CONSOLE_LOG_STRUCTURED_FORMAT}); blank for plain text. */
    public void setFormat(String format) {
        this.format = format;
    }

    /** The pattern of plain text lines ({@code CONSOLE_LOG_PATTERN}). */
    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    public void setCharset(Charset charset) {
        this.charset = charset;
    }

    @Override
    public void start() {
        if (format != null && !format.isBlank()) {
            StructuredLogEncoder structured = new StructuredLogEncoder();
            structured.setFormat(format.strip());
            structured.setCharset(charset);
            delegate = structured;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(pattern);
            text.setCharset(charset);
            delegate = text;
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
