package id.jembatan.config.http;

import org.apache.coyote.Processor;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.SocketWrapperBase;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Tomcat's NIO HTTP/1.1 protocol with the one limit Tomcat lacks: a request's line and headers must arrive whole
 * within {@link #setRequestHeadTimeout request-head-timeout} of their first byte. Tomcat's own timeouts measure only
 * the pause between two reads, so a client that sends one header byte every few seconds keeps its connection for
 * ever. Here, whenever a request head is still incomplete after a read, the connection's read timeout shrinks to what
 * is left of the deadline; when nothing is left the connection is closed. Reading a head never holds a request
 * thread (NIO parks the connection between reads): this bounds how long a connection slot is held.
 */
public class HeadDeadlineNioProtocol extends Http11NioProtocol {

    private static final Log log = LogFactory.getLog(HeadDeadlineNioProtocol.class);

    private volatile long requestHeadTimeout = TimeUnit.SECONDS.toMillis(10);

    /** Milliseconds a request's line and headers may take to arrive, from their first byte. */
    public long getRequestHeadTimeout() {
        return requestHeadTimeout;
    }

    public void setRequestHeadTimeout(long millis) {
        if (millis <= 0) {
            throw new IllegalArgumentException("requestHeadTimeout must be positive, not " + millis);
        }
        this.requestHeadTimeout = millis;
    }

    @Override
    protected Processor createProcessor() {
        return new HeadDeadlineProcessor(this);
    }

    /** Tomcat's processor, asked after each read whether the head it is still waiting for is out of time. */
    private static final class HeadDeadlineProcessor extends Http11Processor {

        private final HeadDeadlineNioProtocol protocol;

        HeadDeadlineProcessor(HeadDeadlineNioProtocol protocol) {
            super(protocol, protocol.getAdapter());
            this.protocol = protocol;
        }

        @Override
        public SocketState service(SocketWrapperBase<?> socket) throws IOException {
            SocketState state = super.service(socket);
            // LONG outside async and upgrades: the request line or headers are incomplete and the connection waits
            // for more bytes (a body is read while service() runs and never ends up here).
            long started = getRequest().getStartTimeNanos();
            if (state != SocketState.LONG || isAsync() || isUpgrade() || started < 0) {
                return state;
            }
            long left = protocol.requestHeadTimeout - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (left <= 0) {
                if (log.isDebugEnabled()) {
                    log.debug("Closing a connection whose request head did not arrive within "
                            + protocol.requestHeadTimeout + " ms");
                }
                return SocketState.CLOSED;
            }
            long idle = socket.getReadTimeout();
            socket.setReadTimeout(idle > 0 ? Math.min(idle, left) : left);
            return state;
        }
    }
}
