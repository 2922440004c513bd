package id.jembatan.config.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops the embedded broker's AMQ222059 warning ("Duplicate message detected"): the outbox relay (after a crash) and
 * the notifications endpoint (a reporter sending again) rely on the broker dropping repeats and log a masked summary
 * themselves, so the broker's line, one per repeat with the message's properties, is noise. It no longer carries a
 * NIK (the bus's message groups are keyed hashes, {@code MessageGroups}); a client's own message on the inbound
 * queue may still use the NIK as its group. An external broker logs the line regardless (docs/deployment.md).
 */
public class BrokerRepeatLogFilter extends TurboFilter {

    static final String DUPLICATE_DETECTED = "AMQ222059";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (format != null && format.startsWith(DUPLICATE_DETECTED)
                && logger.getName().startsWith("org.apache.activemq.artemis")) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
