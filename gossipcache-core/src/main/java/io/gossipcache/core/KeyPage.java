package io.gossipcache.core;

import java.util.List;

/**
 * One page of a cache's live keys on this member, in the order of the keys' {@linkplain String#valueOf string form}
 * (see {@link ReplicatedCache#keys}).
 *
 * @param keys  at most the requested number of keys, in order
 * @param total how many live keys match the prefix, on every page
 * @param next  the cursor of the next page (the string form of this page's last key), or {@code null} on the last page
 */
public record KeyPage(List<Object> keys, long total, String next) {

    public KeyPage {
        keys = List.copyOf(keys);
    }
}
