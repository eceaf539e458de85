package io.gossipcache.core.cluster;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Decides whether a member's cluster traffic is open to others: plain traffic on an address other than
 * loopback can be read and written by anyone who reaches the port, so that deserves a warning at start-up.
 */
final class ExposureCheck {

    private ExposureCheck() {
    }

    /** The warning to log for a transport on {@code bind}, or empty when it is loopback-only or secured. */
    static Optional<String> warning(InetAddress bind, int port, boolean secured) {
        if (secured || bind == null || bind.isLoopbackAddress()) {
            return Optional.empty();
        }
        return Optional.of("Cluster traffic on " + bind.getHostAddress() + ":" + port + " is neither authenticated"
                + " nor encrypted: anyone who can reach this port can read and write every cache. Turn on member"
                + " TLS (gossipcache.security.ssl-bundle, or ClusterConfig.tls) or keep the bind address on loopback.");
    }
}
