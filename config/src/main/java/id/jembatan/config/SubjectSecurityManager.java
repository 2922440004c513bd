package id.jembatan.config;

import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;

import java.util.Set;

/**
 * An Artemis security manager that decides with the authenticate/authorize pair of {@link ActiveMQSecurityManager5}
 * (a subject per connection, its roles as principals) only: the broker never calls the older user-and-password checks
 * on such a manager, and they refuse everyone should anything else call them.
 */
abstract class SubjectSecurityManager implements ActiveMQSecurityManager5 {

    @Override
    public final boolean validateUser(String user, String password) {
        return false;
    }

    @Override
    public final boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
        return false;
    }
}
