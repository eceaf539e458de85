package io.gossipcache.autoconfigure;

/** The SSL bundle named by {@code gossipcache.security.ssl-bundle} is missing or its material cannot be used. */
class ClusterTlsException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String bundle;

    ClusterTlsException(String bundle, String message, Throwable cause) {
        super(message, cause);
        this.bundle = bundle;
    }

    String bundle() {
        return bundle;
    }
}
