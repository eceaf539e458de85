package io.gossipcache.core;

/**
 * A new cache was asked for while this member already has as many caches as {@link EngineConfig#maxCaches()}
 * allows (the starter's property {@code gossipcache.max-caches}).
 */
public class TooManyCachesException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public TooManyCachesException(String name, int maxCaches) {
        super("Cannot create cache '" + name + "': this member already has " + maxCaches
                + " caches, the most allowed (raise gossipcache.max-caches if the application needs more)");
    }
}
