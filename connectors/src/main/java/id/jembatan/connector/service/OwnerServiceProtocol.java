package id.jembatan.connector.service;

import java.net.URI;
import java.time.Duration;

/**
 * A way of asking an owner service in the owner's own protocol, named by its type in the configuration
 * ({@code jembatan.services.<owner>.<service>.protocol}), e.g. {@code tax-taxpayer-status}: the tax office's
 * taxpayer.xsd status documents over HTTP. A Spring bean per type; the bus makes one client per configured service.
 */
public interface OwnerServiceProtocol {

    /** The type the configuration names. */
    String type();

    /**
     * A client of one configured service.
     *
     * @param owner   the owner agency's id (for messages)
     * @param url     the owner's endpoint, an absolute http(s) URL
     * @param timeout how long one question may take until the owner's answer arrives
     */
    OwnerServiceClient create(String owner, URI url, Duration timeout);
}
