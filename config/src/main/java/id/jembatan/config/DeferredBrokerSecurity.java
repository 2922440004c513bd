package id.jembatan.config;

import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;

import javax.security.auth.Subject;
import java.util.Set;

/**
 * The embedded broker's sign-in while it starts ahead of the agencies' and operators' keys ({@link BrokerStart}):
 * the bus itself, in-VM, is let in as always; every other client is refused until {@link #admit} hands over to
 * {@link BrokerSecurity}, which happens before the bus reports itself healthy.
 */
final class DeferredBrokerSecurity extends SubjectSecurityManager {

    private volatile BrokerSecurity security;

    /** From now on, {@code security} decides who signs in and what each may do. */
    void admit(BrokerSecurity security) {
        this.security = security;
    }

    @Override
    public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
        BrokerSecurity admitted = security;
        return admitted != null ? admitted.authenticate(user, password, connection, securityDomain)
                : BrokerSecurity.busInVm(connection);
    }

    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        BrokerSecurity admitted = security;
        if (admitted != null) {
            return admitted.authorize(subject, roles, checkType, address);
        }
        return subject != null && BrokerSecurity.holds(subject, roles, checkType);
    }
}
