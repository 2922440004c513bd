package id.jembatan.settings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything an operator sets under {@code jembatan.*}: agencies, broker, ingest limits, outbox relay, the rate limits
 * of verification, lookups and notifications, notifications queue, how long a request may take to arrive and the
 * operators' own HTTP port.
 */
@Validated
@ConfigurationProperties(prefix = "jembatan")
public class JembatanProperties {

    /** Broker journal, database and file drops live below this folder. */
    @NotNull
    private Path dataDir = Path.of("./data");

    /**
     * Integrators' Camel YAML DSL routes ({@code *.yaml}), loaded at start ({@code camel.main.routes-include-pattern});
     * created empty when missing.
     */
    @NotNull
    private Path routesDir = Path.of("./data/routes");

    /** Reload a route file when it changes: for developing routes only, as Camel advises; off in production. */
    private boolean routesReload;

    /** Agencies by id ({@code civil-registry}, {@code tax}, ...). */
    @Valid
    private Map<String, Agency> agencies = new LinkedHashMap<>();

    @Valid
    private final Broker broker = new Broker();

    @Valid
    private final Ingest ingest = new Ingest();

    @Valid
    private final Outbox outbox = new Outbox();

    @Valid
    private final Verification verification = new Verification();

    @Valid
    private final Lookup lookup = new Lookup();

    @Valid
    private final Notifications notifications = new Notifications();

    @Valid
    private final Http http = new Http();

    public Path getDataDir() {
        return dataDir;
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    public Path getRoutesDir() {
        return routesDir;
    }

    public void setRoutesDir(Path routesDir) {
        this.routesDir = routesDir;
    }

    public boolean isRoutesReload() {
        return routesReload;
    }

    public void setRoutesReload(boolean routesReload) {
        this.routesReload = routesReload;
    }

    public Map<String, Agency> getAgencies() {
        return agencies;
    }

    public void setAgencies(Map<String, Agency> agencies) {
        this.agencies = agencies;
    }

    public Broker getBroker() {
        return broker;
    }

    public Ingest getIngest() {
        return ingest;
    }

    public Outbox getOutbox() {
        return outbox;
    }

    public Verification getVerification() {
        return verification;
    }

    public Lookup getLookup() {
        return lookup;
    }

    public Notifications getNotifications() {
        return notifications;
    }

    public Http getHttp() {
        return http;
    }

    /** One agency: how it authenticates, what it owns, where it is reached. */
    public static class Agency {
        /** SHA-256 hex digests of the agency's API keys; the keys themselves are never configured. */
        private List<String> apiKeys = List.of();
        /** Event types this agency is the owner of and may therefore send. */
        private List<String> owns = List.of();
        /** Event types delivered to this agency. */
        private List<String> subscribes = List.of();
        /**
         * How events reach the agency: {@code xml-http}, {@code fhir}, {@code csv-drop}, {@code json-http}, or the
         * type of another {@code ConnectorFactory} bean; empty: not delivered.
         */
        private String connector;
        private String url;
        private Path directory;
        /**
         * The name of the {@code Translator} bean that writes this agency's payloads, when no translator is named
         * after the agency itself ({@code json-http}: {@code canonical-json} by default).
         */
        private String format;
        /**
         * {@code json-http}: the secret deliveries are signed with (HMAC-SHA256), shared with the agency; at least
         * 32 bytes. In production set it from the environment ({@code JEMBATAN_AGENCIES_<ID>_SIGNINGSECRET}).
         */
        private String signingSecret;
        /**
         * {@code fhir}: a birth is sent as a conditional create ({@code If-None-Exist}), one request when the agency
         * does not know the NIK yet. False for a FHIR server without conditional create (one that would ignore the
         * header and make a second Patient): births are then read and written like every other event.
         */
        private boolean conditionalCreate = true;
        @Valid
        private final Delivery delivery = new Delivery();

        public boolean isConditionalCreate() {
            return conditionalCreate;
        }

        public void setConditionalCreate(boolean conditionalCreate) {
            this.conditionalCreate = conditionalCreate;
        }

        public String getConnector() {
            return connector;
        }

        public void setConnector(String connector) {
            this.connector = connector;
        }

        public Delivery getDelivery() {
            return delivery;
        }

        public List<String> getApiKeys() {
            return apiKeys;
        }

        public void setApiKeys(List<String> apiKeys) {
            this.apiKeys = apiKeys;
        }

        public List<String> getOwns() {
            return owns;
        }

        public void setOwns(List<String> owns) {
            this.owns = owns;
        }

        public List<String> getSubscribes() {
            return subscribes;
        }

        public void setSubscribes(List<String> subscribes) {
            this.subscribes = subscribes;
        }

        public String getUrl() {
            return url;
        }

        public String getFormat() {
            return format;
        }

        public void setFormat(String format) {
            this.format = format;
        }

        public String getSigningSecret() {
            return signingSecret;
        }

        public void setSigningSecret(String signingSecret) {
            this.signingSecret = signingSecret;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public Path getDirectory() {
            return directory;
        }

        public void setDirectory(Path directory) {
            this.directory = directory;
        }
    }

    /** How the bus delivers to one agency: parallelism, retries, batching, timeouts. */
    public static class Delivery {
        /**
         * Parallel consumers of the agency's queue; message groups keep each citizen's events in order. Each one
         * mostly waits (for the agency's answer, the audit commit, the broker's commit), so more than the cores.
         */
        @Min(1)
        private int consumers = 4;
        /** Attempts after the first for an event the agency refuses, before it goes to the dead-letter queue. */
        @Min(0)
        private int maximumRedeliveries = 4;
        /** First wait before a retry; doubles each time up to {@link #maximumRedeliveryDelay}. */
        @NotNull
        private Duration redeliveryDelay = Duration.ofSeconds(1);
        @NotNull
        private Duration maximumRedeliveryDelay = Duration.ofSeconds(30);
        /** Connect and answer timeout for HTTP and FHIR agencies. */
        @NotNull
        private Duration timeout = Duration.ofSeconds(10);
        /** File drops: rows per file at most. */
        @Min(1)
        private int batchSize = 500;
        /** File drops: how often waiting events are written out. */
        @NotNull
        private Duration batchInterval = Duration.ofSeconds(2);

        public int getConsumers() {
            return consumers;
        }

        public void setConsumers(int consumers) {
            this.consumers = consumers;
        }

        public int getMaximumRedeliveries() {
            return maximumRedeliveries;
        }

        public void setMaximumRedeliveries(int maximumRedeliveries) {
            this.maximumRedeliveries = maximumRedeliveries;
        }

        public Duration getRedeliveryDelay() {
            return redeliveryDelay;
        }

        public void setRedeliveryDelay(Duration redeliveryDelay) {
            this.redeliveryDelay = redeliveryDelay;
        }

        public Duration getMaximumRedeliveryDelay() {
            return maximumRedeliveryDelay;
        }

        public void setMaximumRedeliveryDelay(Duration maximumRedeliveryDelay) {
            this.maximumRedeliveryDelay = maximumRedeliveryDelay;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public Duration getBatchInterval() {
            return batchInterval;
        }

        public void setBatchInterval(Duration batchInterval) {
            this.batchInterval = batchInterval;
        }
    }

    /** The embedded broker, or the external one the bus connects to. */
    public static class Broker {
        /** Start Artemis inside the bus; off when {@code url} points at an external broker or cluster. */
        private boolean embedded = true;
        /** Client URL; empty means the embedded broker's in-VM acceptor. */
        private String url = "";
        /** Name of the embedded broker (also its JMX name). */
        @NotBlank
        private String name = "jembatan";
        /** Host the embedded broker's CORE+AMQP acceptor binds to. */
        @NotBlank
        private String host = "127.0.0.1";
        /** Port of the embedded broker's CORE+AMQP acceptor; 0 switches the TCP acceptor off. */
        @Min(0)
        private int port = 61616;
        /** Id of the embedded broker's in-VM acceptor; distinct per broker when several run in one JVM. */
        @Min(0)
        private int inVmId;
        private String user;
        private String password;

        public int getInVmId() {
            return inVmId;
        }

        public void setInVmId(int inVmId) {
            this.inVmId = inVmId;
        }

        /** The URL clients of this bus use: the configured one, or the embedded broker's in-VM acceptor. */
        public String clientUrl() {
            return url == null || url.isBlank() ? "vm://" + inVmId : url;
        }

        /** What is wrong with these settings together, each problem naming its key. */
        public List<String> problems() {
            if (!embedded && (url == null || url.isBlank())) {
                return List.of("jembatan.broker.url is required when jembatan.broker.embedded=false: the external"
                        + " broker or cluster, e.g. (tcp://a:61616,tcp://b:61616)?ha=true&reconnectAttempts=-1");
            }
            return List.of();
        }
        /** The multicast address every applied event is published to. */
        @NotBlank
        private String eventsAddress;

        public String getEventsAddress() {
            return eventsAddress;
        }

        public void setEventsAddress(String eventsAddress) {
            this.eventsAddress = eventsAddress;
        }

        public boolean isEmbedded() {
            return embedded;
        }

        public void setEmbedded(boolean embedded) {
            this.embedded = embedded;
        }

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getUser() {
            return user;
        }

        public void setUser(String user) {
            this.user = user;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }
    }

    /** Inbound events over HTTP and the broker. */
    public static class Ingest {
        /** Largest accepted event body, over HTTP and JMS. */
        @Min(1024)
        private int maxBodyBytes = 64 * 1024;
        /** The owner agency's inbound queue: same validation as {@code POST /api/v1/events}. */
        @NotBlank
        private String queue;
        /** The agency whose events arrive on {@link #queue}. */
        @NotBlank
        private String queueAgency;
        /** Where rejected inbound messages go, with their error code. */
        @NotBlank
        private String deadLetterQueue;
        /** Parallel consumers of the inbound queue. */
        @Min(1)
        private int consumers = 2;
        /**
         * Most messages one consumer takes off the inbound queue for one database transaction and one broker
         * commit (it takes what is already waiting, never waits to fill a batch).
         */
        @Min(1)
        private int batchSize = 100;

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public String getQueue() {
            return queue;
        }

        public void setQueue(String queue) {
            this.queue = queue;
        }

        public String getQueueAgency() {
            return queueAgency;
        }

        public void setQueueAgency(String queueAgency) {
            this.queueAgency = queueAgency;
        }

        public String getDeadLetterQueue() {
            return deadLetterQueue;
        }

        public void setDeadLetterQueue(String deadLetterQueue) {
            this.deadLetterQueue = deadLetterQueue;
        }

        public int getConsumers() {
            return consumers;
        }

        public void setConsumers(int consumers) {
            this.consumers = consumers;
        }

        public int getMaxBodyBytes() {
            return maxBodyBytes;
        }

        public void setMaxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
        }
    }

    /** The relay that publishes applied events from the outbox table to the broker. */
    public static class Outbox {
        /** Start publishing when the application starts. */
        private boolean autoStartup = true;
        /** Rows published in one broker transaction. */
        @Min(1)
        private int batchSize = 200;
        /** How often the relay looks for rows when nothing woke it (other instances, restarts). */
        @NotNull
        private Duration pollInterval = Duration.ofSeconds(1);
        /** Wait before reconnecting after the broker or database failed. */
        @NotNull
        private Duration retryDelay = Duration.ofSeconds(2);

        public boolean isAutoStartup() {
            return autoStartup;
        }

        public void setAutoStartup(boolean autoStartup) {
            this.autoStartup = autoStartup;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public Duration getRetryDelay() {
            return retryDelay;
        }

        public void setRetryDelay(Duration retryDelay) {
            this.retryDelay = retryDelay;
        }
    }

    /** Identity verification ({@code POST /api/v1/citizens/verify}). */
    public static class Verification {
        @Valid
        private final RateLimit rateLimit = new RateLimit();

        public RateLimit getRateLimit() {
            return rateLimit;
        }
    }

    /** Lookups ({@code GET /api/v1/citizens/{nik}}, FHIR {@code Patient?identifier=}), counted together. */
    public static class Lookup {
        @Valid
        private final RateLimit rateLimit = new RateLimit();

        public RateLimit getRateLimit() {
            return rateLimit;
        }
    }

    /**
     * At most {@code requests} per {@code period} for each agency: enough for an agency's real work, too few to
     * enumerate NIKs by trying.
     */
    public static class RateLimit {
        @Min(1)
        private int requests = 20;
        @NotNull
        private Duration period = Duration.ofSeconds(1);

        public int getRequests() {
            return requests;
        }

        public void setRequests(int requests) {
            this.requests = requests;
        }

        public Duration getPeriod() {
            return period;
        }

        public void setPeriod(Duration period) {
            this.period = period;
        }
    }

    /** Notifications from non-owners to the owner ({@code POST /api/v1/notifications}). */
    public static class Notifications {
        /** The owner's inbox on the broker: an anycast queue the civil registry consumes. */
        @NotBlank
        private String queue;

        @Valid
        private final RateLimit rateLimit = new RateLimit();

        public RateLimit getRateLimit() {
            return rateLimit;
        }

        public String getQueue() {
            return queue;
        }

        public void setQueue(String queue) {
            this.queue = queue;
        }
    }

    /**
     * How long a request may take to arrive, and the operators' own connector. The connector's idle timeouts are
     * Tomcat's ({@code server.tomcat.connection-timeout}, {@code keep-alive-timeout}); these bound the whole.
     */
    public static class Http {
        /** A request's line and headers must arrive whole within this time of its first byte. */
        @NotNull
        private Duration requestHeadTimeout = Duration.ofSeconds(10);
        /** A request's body must arrive whole within this time once the bus starts reading it. */
        @NotNull
        private Duration requestBodyTimeout = Duration.ofSeconds(10);
        /**
         * The largest body an operator may send (the console's Jolokia requests read many MBeans in one POST);
         * agencies' bodies keep {@code jembatan.ingest.max-body-bytes}.
         */
        @Min(1024)
        private int operatorMaxBodyBytes = 1024 * 1024;
        @Valid
        private final OperatorConnector operator = new OperatorConnector();

        public int getOperatorMaxBodyBytes() {
            return operatorMaxBodyBytes;
        }

        public void setOperatorMaxBodyBytes(int operatorMaxBodyBytes) {
            this.operatorMaxBodyBytes = operatorMaxBodyBytes;
        }

        public Duration getRequestHeadTimeout() {
            return requestHeadTimeout;
        }

        public void setRequestHeadTimeout(Duration requestHeadTimeout) {
            this.requestHeadTimeout = requestHeadTimeout;
        }

        public Duration getRequestBodyTimeout() {
            return requestBodyTimeout;
        }

        public void setRequestBodyTimeout(Duration requestBodyTimeout) {
            this.requestBodyTimeout = requestBodyTimeout;
        }

        public OperatorConnector getOperator() {
            return operator;
        }
    }

    /**
     * A second HTTP port with request threads of its own, serving only health, the console and the operator calls:
     * it keeps answering while agencies' requests occupy every thread of the main port.
     */
    public static class OperatorConnector {
        /** The port; 0 picks a free one, -1 turns the operator port off. */
        @Min(-1)
        private int port = 8081;
        /** The address to listen on; empty: the same as the main port ({@code server.address}). */
        private String address = "";
        /** Request threads of this port alone. */
        @Min(1)
        private int threads = 8;

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getAddress() {
            return address;
        }

        public void setAddress(String address) {
            this.address = address;
        }

        public int getThreads() {
            return threads;
        }

        public void setThreads(int threads) {
            this.threads = threads;
        }
    }
}
