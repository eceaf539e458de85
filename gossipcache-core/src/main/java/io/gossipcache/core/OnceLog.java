package io.gossipcache.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which kinds of problem were logged already, so that each is logged once: a broken or hostile peer must
 * not flood the log. Bounded, should such a peer invent new kinds forever; past the bound nothing more is logged (the
 * counters still count).
 */
final class OnceLog {

    /** Kinds remembered at most. */
    static final int MAX_KINDS = 1_000;

    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    /** Whether {@code kind} is logged for the first time now (the caller then logs it). */
    boolean first(String kind) {
        return logged.size() < MAX_KINDS && logged.add(kind);
    }
}
