package id.jembatan.config.store;

import id.jembatan.config.DataDirSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** What an embedded store is started with: the data folder and the {@code jembatan.store.*} settings that shape it. */
record StoreStart(Path dataDir, int port, Map<String, String> serverSettings, Duration startupTimeout) {

    static StoreStart of(StoreSettings store, DataDirSettings data) {
        return new StoreStart(data.dataDir().toAbsolutePath().normalize(), store.port(), store.serverSettings(),
                store.startupTimeout());
    }

    EmbeddedStore start() throws IOException {
        return EmbeddedStore.start(dataDir, port, serverSettings, startupTimeout);
    }
}
