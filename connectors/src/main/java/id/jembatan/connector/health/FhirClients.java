package id.jembatan.connector.health;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RequestFormatParamStyleEnum;
import ca.uhn.fhir.rest.client.apache.ApacheHttpRequest;
import ca.uhn.fhir.rest.client.apache.ApacheRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import id.jembatan.connector.TraceContext;
import org.apache.http.client.config.RequestConfig;

import java.time.Duration;

/**
 * HAPI FHIR clients of the health connector: JSON, no capability check before the first request, and timeouts of
 * their own on each request. Requests go through the HTTP connection pool of the shared FhirContext's client factory
 * (HAPI's design), so connectors with different timeouts can coexist.
 */
final class FhirClients {

    private FhirClients() {
    }

    /**
     * @param baseUrl the agency's FHIR base
     * @param timeout the limit for connecting, for each wait on the socket and for a pooled connection
     */
    static IGenericClient create(String baseUrl, Duration timeout) {
        FhirContext context = HealthFhir.context();
        // HAPI builds every request through the context's client factory, whatever factory made the client: the
        // timeouts can only be this connector's own if they ride on each request (see RequestTimeouts).
        if (!(context.getRestfulClientFactory() instanceof ApacheRestfulClientFactory)) {
            throw new IllegalStateException("the health connector sets its timeouts on Apache HTTP requests, but the "
                    + "FhirContext's client factory is " + context.getRestfulClientFactory().getClass().getName());
        }
        // A factory of its own only to create the client: the shared factory's settings belong to every client.
        ApacheRestfulClientFactory factory = new ApacheRestfulClientFactory(context);
        // No GET /metadata before the first request: the connector must work while the agency's metadata is slow.
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient client = factory.newGenericClient(baseUrl);
        client.setEncoding(EncodingEnum.JSON);
        // JSON through Content-Type and Accept, not a _format parameter that would end up in the conditional URL.
        client.setFormatParamStyle(RequestFormatParamStyleEnum.NONE);
        client.registerInterceptor(new RequestTimeouts(timeout));
        client.registerInterceptor(new TraceHeaders());
        return client;
    }

    /** The current trace context ({@code traceparent}) on each request, so that the FHIR server can join the trace. */
    private static final class TraceHeaders implements IClientInterceptor {

        @Override
        public void interceptRequest(IHttpRequest request) {
            TraceContext.propagate(request::addHeader);
        }

        @Override
        public void interceptResponse(IHttpResponse response) {
            // Nothing to do on the way back.
        }
    }

    /**
     * The connector's timeouts on each of its requests. A request-level configuration replaces the pooled client's
     * default one as a whole: besides its timeouts that default holds only a proxy set through HAPI's factory
     * ({@code setProxy}), which is therefore not used; proxies from the JVM's {@code http(s).proxyHost} properties
     * are, because the pooled client routes through the system's proxy selector.
     */
    private static final class RequestTimeouts implements IClientInterceptor {

        private final RequestConfig config;

        RequestTimeouts(Duration timeout) {
            int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            this.config = RequestConfig.custom()
                    .setConnectTimeout(millis)
                    .setSocketTimeout(millis)
                    .setConnectionRequestTimeout(millis)
                    .build();
        }

        @Override
        public void interceptRequest(IHttpRequest request) {
            ((ApacheHttpRequest) request).getApacheRequest().setConfig(config);
        }

        @Override
        public void interceptResponse(IHttpResponse response) {
            // Nothing to do on the way back.
        }
    }
}
