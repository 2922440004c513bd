package id.jembatan.bus;

import id.jembatan.connector.CitizenMessageGroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The message group ({@code JMSXGroupID}) of a citizen's messages on the broker: the first 128 bits of
 * HMAC-SHA256 of the NIK under a secret key the bus keeps, in hex. Every message about one citizen carries the same
 * group, so the broker hands them to one consumer at a time, in order, as it did when the group was the NIK; but
 * the broker, which logs a message's properties (Artemis' AMQ222059 for each repeat it drops, its consoles, dead
 * letters an operator browses), never holds the NIK, and without the key the group cannot be turned back into one
 * by trying the NIKs of a region and birth date. The key is a row of the bus's database (migration V6), made by the
 * first instance that starts: all instances on that database derive the same group for a citizen, whichever of them
 * publishes.
 */
@Component
@DependsOnDatabaseInitialization
public class MessageGroups implements CitizenMessageGroups {

    private static final Logger log = LoggerFactory.getLogger(MessageGroups.class);
    private static final String ALGORITHM = "HmacSHA256";
    /** Bytes of the HMAC kept: 128 bits, far from any collision (which would only join two citizens' groups). */
    private static final int GROUP_BYTES = 16;
    private static final int KEY_BYTES = 32;

    private final ThreadLocal<Mac> macs;

    @Autowired
    public MessageGroups(JdbcClient jdbc) {
        this(key(jdbc));
    }

    /** With a key of its own: for tests, and for tools that must derive the groups of a given database. */
    public MessageGroups(byte[] key) {
        SecretKeySpec spec = new SecretKeySpec(key.clone(), ALGORITHM);
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance(ALGORITHM);
                mac.init(spec);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(ALGORITHM + " is missing from the JRE", e);
            }
        });
        macs.get();
    }

    /** The group of every message about the citizen with this NIK: 32 lower-case hex digits. */
    @Override
    public String of(String nik) {
        byte[] mac = macs.get().doFinal(nik.getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(mac, 0, GROUP_BYTES);
    }

    /** The key of this database, made now if no instance has made it yet. */
    private static byte[] key(JdbcClient jdbc) {
        Optional<String> stored = read(jdbc);
        if (stored.isEmpty()) {
            byte[] fresh = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(fresh);
            try {
                jdbc.sql("INSERT INTO message_group_key (id, hmac_key) VALUES (1, ?)")
                        .param(HexFormat.of().formatHex(fresh)).update();
                log.info("Made the message group key of this database");
            } catch (DuplicateKeyException anotherInstanceWasFirst) {
                // Two instances started at once on an empty database: the other one's key is the key.
            }
            stored = read(jdbc);
        }
        return HexFormat.of().parseHex(stored.orElseThrow(() ->
                new IllegalStateException("message_group_key holds no key")).strip());
    }

    private static Optional<String> read(JdbcClient jdbc) {
        return jdbc.sql("SELECT hmac_key FROM message_group_key WHERE id = 1").query(String.class).optional();
    }
}
