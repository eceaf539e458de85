package io.gossipcache.core;

import io.gossipcache.core.store.CacheStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Pages through a store's live keys without copying it: one scan per page keeps the first {@code limit} keys after
 * the cursor in a bounded heap, so a page costs O(n log limit) time and O(limit) memory, and stays stable while the
 * cache changes (a key written meanwhile shows on a later page if it sorts after the cursor).
 */
final class KeyPages {

    private record Candidate(String text, Object key) {
    }

    private static final Comparator<Candidate> ORDER = Comparator.comparing(Candidate::text);

    private KeyPages() {
    }

    static KeyPage page(CacheStore store, String prefix, String after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1 (was " + limit + ")");
        }
        String wanted = prefix == null ? "" : prefix;
        // the largest of the kept candidates on top, so that a smaller one replaces it
        PriorityQueue<Candidate> kept = new PriorityQueue<>(Math.min(limit + 1, 1024), ORDER.reversed());
        long[] total = {0};
        long[] beyond = {0};
        store.forEachLive((key, value) -> {
            String text = String.valueOf(key);
            if (!text.startsWith(wanted)) {
                return;
            }
            total[0]++;
            if (after != null && text.compareTo(after) <= 0) {
                return;
            }
            kept.add(new Candidate(text, key));
            if (kept.size() > limit) {
                kept.poll();
                beyond[0]++;
            }
        });
        List<Candidate> page = new ArrayList<>(kept);
        page.sort(ORDER);
        List<Object> keys = new ArrayList<>(page.size());
        page.forEach(c -> keys.add(c.key()));
        String next = beyond[0] > 0 ? page.get(page.size() - 1).text() : null;
        return new KeyPage(keys, total[0], next);
    }
}
