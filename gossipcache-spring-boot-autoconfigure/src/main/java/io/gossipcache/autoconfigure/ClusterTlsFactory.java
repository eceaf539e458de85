package io.gossipcache.autoconfigure;

import io.gossipcache.core.cluster.ClusterTls;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/** Member TLS from the SSL bundle that {@code gossipcache.security.ssl-bundle} names. */
final class ClusterTlsFactory {

    private ClusterTlsFactory() {
    }

    /** The TLS settings of the named bundle, or {@code null} when no bundle is named (plain traffic). */
    static @Nullable ClusterTls create(@Nullable String bundleName, @Nullable SslBundles bundles) {
        if (bundleName == null) {
            return null;
        }
        if (bundles == null) {
            throw new ClusterTlsException(bundleName, "gossipcache.security.ssl-bundle=" + bundleName
                    + " but no SSL bundles are configured (spring.ssl.bundle.*)", null);
        }
        SslBundle bundle;
        try {
            bundle = bundles.getBundle(bundleName);
        } catch (NoSuchSslBundleException e) {
            throw new ClusterTlsException(bundleName, "gossipcache.security.ssl-bundle: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ClusterTlsException(bundleName, "gossipcache.security.ssl-bundle=" + bundleName
                    + ": its key or trust material cannot be read: " + e.getMessage(), e);
        }
        try {
            SslOptions options = bundle.getOptions();
            return new ClusterTls(bundle.createSslContext(), list(options.getEnabledProtocols()),
                    list(options.getCiphers()));
        } catch (RuntimeException e) {
            throw new ClusterTlsException(bundleName, "gossipcache.security.ssl-bundle=" + bundleName
                    + ": its key or trust material cannot be used: " + e.getMessage(), e);
        }
    }

    private static List<String> list(String @Nullable [] values) {
        return values == null ? List.of() : List.of(values);
    }
}
