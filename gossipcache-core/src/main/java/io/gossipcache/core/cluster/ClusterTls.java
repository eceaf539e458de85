package io.gossipcache.core.cluster;

import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Mutual TLS between members: every connection of the JGroups TCP transport is a TLS connection, and both
 * ends must present a certificate that the other end's trust material accepts. A process without such a
 * certificate cannot join, cannot read what members send each other, and cannot send them anything.
 *
 * <p>The simplest set-up gives every member the same PKCS12 keystore holding one key pair, used as key store
 * and trust store; a CA that signs one certificate per member works too (trust the CA). Host names are not
 * checked: membership is proved by the certificate, not by the address it comes from.
 *
 * @param context      key and trust material of this member
 * @param protocols    TLS versions to accept; default {@code TLSv1.3}
 * @param cipherSuites cipher suites to accept; empty = the JDK's defaults for the protocols
 */
public record ClusterTls(SSLContext context, List<String> protocols, List<String> cipherSuites) {

    /** The TLS version used unless another is configured. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3");

    public ClusterTls {
        Objects.requireNonNull(context, "SSL context");
        protocols = protocols == null || protocols.isEmpty() ? DEFAULT_PROTOCOLS : List.copyOf(protocols);
        cipherSuites = cipherSuites == null ? List.of() : List.copyOf(cipherSuites);
    }

    /** TLS 1.3 with the JDK's default cipher suites. */
    public static ClusterTls of(SSLContext context) {
        return new ClusterTls(context, DEFAULT_PROTOCOLS, List.of());
    }
}
