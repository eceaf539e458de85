package io.gossipcache.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Member TLS that cannot start: names the bundle and the properties that hold its key and trust material. */
class ClusterTlsFailureAnalyzer extends AbstractFailureAnalyzer<ClusterTlsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ClusterTlsException cause) {
        String bundle = cause.bundle();
        return new FailureAnalysis("Member TLS cannot start: " + cause.getMessage() + ".",
                "Check spring.ssl.bundle.jks." + bundle + ".* (or spring.ssl.bundle.pem." + bundle + ".*): the key"
                        + " store and trust store locations must be readable and their passwords right; or set"
                        + " gossipcache.security.ssl-bundle to another bundle, or unset it for plain traffic.",
                cause);
    }
}
