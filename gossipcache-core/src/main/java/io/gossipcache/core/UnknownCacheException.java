package io.gossipcache.core;

/** A cache was asked for by name, it is not configured, and dynamic cache creation is off. */
public class UnknownCacheException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UnknownCacheException(String name, java.util.Collection<String> known) {
        super("No cache named '" + name + "': dynamic cache creation is off and the configured caches are " + known);
    }
}
