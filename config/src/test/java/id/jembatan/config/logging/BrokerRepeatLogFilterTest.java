package id.jembatan.config.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerRepeatLogFilterTest {

    private final LoggerContext context = new LoggerContext();
    private final BrokerRepeatLogFilter filter = new BrokerRepeatLogFilter();

    @Test
    void dropsOnlyTheBrokersDuplicateWarning() {
        var broker = context.getLogger("org.apache.activemq.artemis.core.server");
        assertThat(filter.decide(null, broker, Level.WARN,
                "AMQ222059: Duplicate message detected - message will not be routed. Message information:\n{}",
                new Object[]{"CoreMessage[_AMQ_GROUP_ID=3171014508990001]"}, null)).isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(null, broker, Level.WARN, "AMQ222010: Critical IO Error", null, null))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(null, context.getLogger("id.jembatan.outbox.OutboxRelay"), Level.WARN,
                "AMQ222059 quoted elsewhere", null, null)).isEqualTo(FilterReply.NEUTRAL);
    }
}
