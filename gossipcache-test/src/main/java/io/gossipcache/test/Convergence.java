package io.gossipcache.test;

import io.gossipcache.core.KeyPage;
import io.gossipcache.core.ReplicatedCache;
import io.gossipcache.core.cluster.ClusterMember;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What still differs between members: their views, and the entries of their caches. */
final class Convergence {

    private static final int PAGE = 1_000;

    private Convergence() {
    }

    /** The first member whose view is not exactly all of the members, or {@code null}. */
    static String viewDifference(List<TestMember> members) {
        Set<String> all = members.stream().map(TestMember::name).collect(Collectors.toCollection(TreeSet::new));
        return viewDifference(members, member -> all);
    }

    /** The first member whose view is not exactly {@code expected} of it, or {@code null}. */
    static String viewDifference(List<TestMember> members, Function<TestMember, Set<String>> expectedOf) {
        for (TestMember member : members) {
            Set<String> expected = new TreeSet<>(expectedOf.apply(member));
            Set<String> seen = member.engine().view().members().stream().map(ClusterMember::name)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!seen.equals(expected)) {
                return member.name() + " sees " + seen + ", expected " + expected;
            }
        }
        return null;
    }

    /**
     * The first difference between the members (views, then each cache's keys and values, {@code byte[]} and other
     * arrays compared by content), or {@code null} when they agree.
     */
    static String difference(List<TestMember> members) {
        String views = viewDifference(members);
        if (views != null || members.size() < 2) {
            return views;
        }
        Set<String> caches = new TreeSet<>();
        members.forEach(m -> caches.addAll(m.engine().cacheNames()));
        TestMember first = members.get(0);
        for (String cache : caches) {
            Map<Object, Object> expected = entries(first, cache);
            for (TestMember other : members.subList(1, members.size())) {
                String difference = difference(cache, first, expected, other, entries(other, cache));
                if (difference != null) {
                    return difference;
                }
            }
        }
        return null;
    }

    private static String difference(String cache, TestMember first, Map<Object, Object> expected, TestMember other,
                                     Map<Object, Object> actual) {
        if (!expected.keySet().equals(actual.keySet())) {
            Set<Object> missing = new TreeSet<>((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
            missing.addAll(expected.keySet());
            missing.removeAll(actual.keySet());
            Set<Object> extra = new TreeSet<>((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
            extra.addAll(actual.keySet());
            extra.removeAll(expected.keySet());
            return "cache '" + cache + "': " + other.name() + " lacks " + first(missing) + " and has " + first(extra)
                    + " more than " + first.name() + " (" + actual.size() + " entries against " + expected.size()
                    + ")";
        }
        for (Map.Entry<Object, Object> entry : expected.entrySet()) {
            Object theirs = actual.get(entry.getKey());
            if (!Objects.deepEquals(entry.getValue(), theirs)) {
                return "cache '" + cache + "', key " + entry.getKey() + ": " + first.name() + " holds "
                        + entry.getValue() + ", " + other.name() + " holds " + theirs;
            }
        }
        return null;
    }

    private static String first(Set<Object> keys) {
        return keys.isEmpty() ? "nothing" : keys.size() <= 5 ? keys.toString()
                : keys.stream().limit(5).map(String::valueOf).collect(Collectors.joining(", ", "[", ", ...]"))
                        + " (" + keys.size() + ")";
    }

    /** Every live entry of the member's cache (none if it has no such cache). */
    private static Map<Object, Object> entries(TestMember member, String cacheName) {
        Map<Object, Object> entries = new HashMap<>();
        ReplicatedCache cache = member.engine().existingCache(cacheName).orElse(null);
        if (cache == null) {
            return entries;
        }
        String after = null;
        do {
            KeyPage page = cache.keys("", after, PAGE);
            for (Object key : page.keys()) {
                Object value = cache.get(key);
                if (value != null) {
                    entries.put(key, value);
                }
            }
            after = page.next();
        } while (after != null);
        return entries;
    }
}
