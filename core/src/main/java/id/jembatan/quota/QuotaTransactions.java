package id.jembatan.quota;

import id.jembatan.tx.AsynchronousCommit;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The bus's database as the quotas use it: each transaction a quota takes a token in commits without waiting for
 * PostgreSQL to write its WAL to disk ({@code SET LOCAL synchronous_commit = off}, for that transaction only; the
 * connection goes back to the pool as it came). A quota's row is locked until its transaction commits, so with
 * synchronous commits every request to a busy quota waited for the disk twice (its own and its audit entry's) and
 * the requests behind it for the disk too.
 *
 * <p>What it gives up: after a crash of PostgreSQL or of its machine (not of the bus), the tokens taken in the last
 * moment before it (at most three times {@code wal_writer_delay}, 600 ms by default) are forgotten, so an agency
 * may get that many requests more in that second or day. A token is not acknowledged data: the answer it admitted
 * was only given once its audit entry was durable, and that commit still waits for the disk. Several instances
 * still share each quota: the row lock and the order of commits are those of a synchronous commit.
 */
final class QuotaTransactions extends DelegatingDataSource {

    QuotaTransactions(DataSource database) {
        super(database);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return asynchronous(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return asynchronous(super.getConnection(username, password));
    }

    /** The connection, whose every transaction is told just before its commit not to wait for the disk. */
    private static Connection asynchronous(Connection connection) {
        InvocationHandler handler = (proxy, method, arguments) -> {
            if (method.getName().equals("commit") && method.getParameterCount() == 0 && !connection.getAutoCommit()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(AsynchronousCommit.STATEMENT);
                }
            }
            return invoke(connection, method, arguments);
        };
        return (Connection) Proxy.newProxyInstance(QuotaTransactions.class.getClassLoader(),
                new Class<?>[]{Connection.class}, handler);
    }

    private static Object invoke(Connection connection, Method method, Object[] arguments) throws Throwable {
        try {
            return method.invoke(connection, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
