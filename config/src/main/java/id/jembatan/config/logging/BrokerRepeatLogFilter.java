package id.jembatan.config.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops Artemis' AMQ222059 warning ("Duplicate message detected"): the outbox relay (after a crash) and the
 * notifications endpoint (a reporter sending again) rely on the broker dropping repeats, log a masked summary
 * themselves, and the broker's line would print each message's properties, whose group id is a citizen's full NIK.
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
