package id.jembatan.config;

import id.jembatan.agency.AgencyDirectory;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnection;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.RolePrincipal;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;

import javax.security.auth.Subject;
import java.util.Set;

/**
 * Who may do what on the embedded broker. The bus itself connects in-VM (role {@value #BUS_ROLE}, everything). An
 * agency that consumes its own queue ({@code jms} connector) signs in over TCP as user {@code <agency id>} with one
 * of its API keys as password (role {@code agency-<id>}), and broker.xml plus {@link #agencyQueueRoles} let that
 * role only consume and browse {@code agency.<id>.events}. A TCP client without a user is a guest (role
 * {@value #GUEST_ROLE}): what broker.xml allows guests (everything but the agency queues; the broker's TCP acceptor
 * listens on the loopback interface only by default). A wrong user or password is refused.
 */
final class BrokerSecurity implements ActiveMQSecurityManager5 {

    static final String BUS_ROLE = "bus";
    static final String GUEST_ROLE = "guest";
    /** Principal names that cannot be agency ids, so that an authorisation cached for one never serves another. */
    private static final String BUS_USER = "jembatan:bus";
    private static final String GUEST_USER = "jembatan:guest";

    private final AgencyDirectory agencies;
    private final Set<String> brokerAgencies;

    /**
     * @param agencies       API keys by agency
     * @param brokerAgencies the agencies that may sign in to the broker ({@code jms} connector)
     */
    BrokerSecurity(AgencyDirectory agencies, Set<String> brokerAgencies) {
        this.agencies = agencies;
        this.brokerAgencies = Set.copyOf(brokerAgencies);
    }

    static String agencyRole(String agencyId) {
        return "agency-" + agencyId;
    }

    /** The roles of an agency queue: the bus does everything, the agency consumes and browses. */
    static Set<Role> agencyQueueRoles(String agencyId) {
        return Set.of(
                new Role(BUS_ROLE, true, true, true, true, true, true, true, true, true, true),
                new Role(agencyRole(agencyId), false, true, false, false, false, false, false, true, false, false));
    }

    @Override
    public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
        // Only code inside the bus's own JVM can open an in-VM connection.
        if (connection != null && connection.getTransportConnection() instanceof InVMConnection) {
            return subject(BUS_USER, BUS_ROLE);
        }
        if (user == null || user.isEmpty()) {
            return subject(GUEST_USER, GUEST_ROLE);
        }
        if (brokerAgencies.contains(user) && agencies.authenticate(password).filter(user::equals).isPresent()) {
            return subject(user, agencyRole(user));
        }
        return null;
    }

    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        if (subject == null) {
            return false;
        }
        Set<String> held = subject.getPrincipals(RolePrincipal.class).stream().map(RolePrincipal::getName)
                .collect(java.util.stream.Collectors.toSet());
        return roles.stream().anyMatch(role -> held.contains(role.getName()) && checkType.hasRole(role));
    }

    /** Only the authenticate/authorize pair above is used (this is an {@link ActiveMQSecurityManager5}). */
    @Override
    public boolean validateUser(String user, String password) {
        return false;
    }

    @Override
    public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
        return false;
    }

    private static Subject subject(String user, String role) {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(user));
        subject.getPrincipals().add(new RolePrincipal(role));
        return subject;
    }
}
