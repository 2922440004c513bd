package id.jembatan.config;

import id.jembatan.agency.AgencyDirectory;
import id.jembatan.agency.AgencySuspensions;
import id.jembatan.operator.OperatorDirectory;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnection;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.jaas.RolePrincipal;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.apache.activemq.artemis.utils.CertificateUtil;

import javax.security.auth.Subject;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Who may do what on the embedded broker. The bus itself connects in-VM (role {@value #BUS_ROLE}, everything).
 * Every TCP client signs in; one without a user, or with a wrong user or key, is refused:
 * <ul>
 *   <li>an agency signs in as user {@code <agency id>} with one of its API keys (role {@code agency-<id>}): the owner
 *   agency may send to the inbound queue ({@link #inboundQueueRoles}), a {@code jms} agency may consume and browse
 *   its own queue ({@link #agencyQueueRoles}), nothing else;</li>
 *   <li>an operator signs in as user {@value #OPERATOR_USER} with any operator key, or a named operator as its
 *   name with its own key (role {@value #OPERATOR_ROLE}):
 *   what the bus may do, for inspection and repair with any JMS or AMQP tool.</li>
 * </ul>
 * On the TLS acceptor ({@code jembatan.broker.tls}) an agency may also sign in without a user, by a client
 * certificate registered for it ({@code client-certificates}).
 * A suspended agency ({@link AgencySuspensions}) is refused at sign-in and at every permission check; suspending it
 * also closes its open connections through the broker's management.
 */
public final class BrokerSecurity extends SubjectSecurityManager {

    static final String BUS_ROLE = "bus";
    static final String OPERATOR_ROLE = "operator";
    static final String OPERATOR_USER = OperatorDirectory.PRINCIPAL;
    /** A principal name that cannot be an agency id, so that an authorisation cached for one never serves another. */
    private static final String BUS_USER = "jembatan:bus";

    private final AgencyDirectory agencies;
    private final OperatorDirectory operators;
    private final Predicate<String> suspended;

    /**
     * @param agencies    the agencies' keys (none: a broker no agency signs in to)
     * @param operators   the operators' keys (none: a broker no operator signs in to)
     * @param suspended   whether an agency is suspended ({@link AgencySuspensions#suspended}): it is refused
     */
    public BrokerSecurity(AgencyDirectory agencies, OperatorDirectory operators, Predicate<String> suspended) {
        this.agencies = agencies;
        this.operators = operators;
        this.suspended = suspended;
    }

    static String agencyRole(String agencyId) {
        return "agency-" + agencyId;
    }

    /** The roles of a {@code jms} agency's own queue: bus and operators do everything, the agency consumes/browses. */
    static Set<Role> agencyQueueRoles(String agencyId) {
        return Set.of(all(BUS_ROLE), all(OPERATOR_ROLE),
                new Role(agencyRole(agencyId), false, true, false, false, false, false, false, true, false, false));
    }

    /** The roles of the inbound queue: bus and operators do everything, the owner agency only sends. */
    static Set<Role> inboundQueueRoles(String ownerAgencyId) {
        return Set.of(all(BUS_ROLE), all(OPERATOR_ROLE),
                new Role(agencyRole(ownerAgencyId), true, false, false, false, false, false, false, false, false,
                        false));
    }

    private static Role all(String name) {
        return new Role(name, true, true, true, true, true, true, true, true, true, true);
    }

    @Override
    public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
        Subject bus = busInVm(connection);
        if (bus != null) {
            return bus;
        }
        if (user == null || user.isEmpty() || password == null) {
            return certificateUser(connection);
        }
        Optional<String> operator = operators.authenticate(password)
                .filter(name -> OPERATOR_USER.equals(user) || name.equals(user));
        if (operator.isPresent()) {
            return subject(user, OPERATOR_ROLE);
        }
        if (OPERATOR_USER.equals(user)) {
            return null;
        }
        if (agencies.authenticate(password).filter(user::equals).isPresent() && !suspended.test(user)) {
            return subject(user, agencyRole(user));
        }
        return null;
    }

    /**
     * The agency whose registered client certificate the connection presented (the TLS acceptor has verified its
     * chain), unless it is suspended; otherwise no one.
     */
    private Subject certificateUser(RemotingConnection connection) {
        X509Certificate[] presented = connection == null ? null : CertificateUtil.getCertsFromConnection(connection);
        if (presented == null || presented.length == 0) {
            return null;
        }
        return agencies.agencyOfCertificate(presented[0]).filter(agency -> !suspended.test(agency))
                .map(agency -> subject(agency, agencyRole(agency))).orElse(null);
    }

    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        if (subject == null || subject.getPrincipals(UserPrincipal.class).stream()
                .anyMatch(user -> suspended.test(user.getName()))) {
            return false;
        }
        return holds(subject, roles, checkType);
    }

    /** The bus itself, if {@code connection} is in-VM: only code inside the bus's own JVM can open one. */
    static Subject busInVm(RemotingConnection connection) {
        return connection != null && connection.getTransportConnection() instanceof InVMConnection
                ? subject(BUS_USER, BUS_ROLE) : null;
    }

    /** Whether {@code subject} holds one of {@code roles} that allows {@code checkType}. */
    static boolean holds(Subject subject, Set<Role> roles, CheckType checkType) {
        Set<String> held = subject.getPrincipals(RolePrincipal.class).stream().map(RolePrincipal::getName)
                .collect(java.util.stream.Collectors.toSet());
        return roles.stream().anyMatch(role -> held.contains(role.getName()) && checkType.hasRole(role));
    }


    private static Subject subject(String user, String role) {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(user));
        subject.getPrincipals().add(new RolePrincipal(role));
        return subject;
    }
}
