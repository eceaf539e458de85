package io.gossipcache.actuate;

import io.gossipcache.core.Ownership;
import io.gossipcache.core.cluster.ClusterMember;
import io.gossipcache.core.cluster.ClusterView;
import io.gossipcache.spring.GossipCacheNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The membership document of the {@code gossipcache} endpoint (docs/configuration.md, 'Public contract'), as plain
 * maps and lists.
 */
final class GossipCacheDocument {

    private GossipCacheDocument() {
    }

    static Map<String, Object> of(GossipCacheNode node) {
        ClusterView view = node.view();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("node", node.nodeName());
        doc.put("mode", node.mode().name());
        doc.put("cluster", node.clusterName());
        doc.put("coordinator", view.coordinator() != null ? view.coordinator().name() : null);
        List<Map<String, Object>> members = view.members().stream().map(GossipCacheDocument::member).toList();
        doc.put("members", members);
        Map<String, Object> caches = new LinkedHashMap<>();
        Map<String, Ownership> ownership = node.cacheOwnership();
        node.cacheSizes().forEach((name, size) -> {
            Map<String, Object> cache = new LinkedHashMap<>();
            cache.put("size", size);
            Ownership owned = ownership.get(name);
            if (owned != null) { // a partitioned cache: size counts the entries of the segments held here
                cache.put("owners", owned.owners());
                cache.put("ownedSegments", owned.ownedSegments());
                cache.put("heldSegments", owned.heldSegments());
            }
            caches.put(name, cache);
        });
        doc.put("caches", caches);
        doc.put("viewId", view.viewId());
        doc.put("running", node.isRunning());
        Instant lastMerge = node.lastMerge();
        doc.put("lastMerge", lastMerge != null ? lastMerge.toString() : null);
        doc.put("protocol", Map.of("speaks", node.protocol(), "writes", node.writeProtocol()));
        doc.put("refusal", node.refusal());
        return doc;
    }

    private static Map<String, Object> member(ClusterMember m) {
        Map<String, Object> member = new LinkedHashMap<>();
        member.put("name", m.name());
        member.put("address", m.address());
        member.put("self", m.self());
        member.put("protocol", m.protocol());
        return member;
    }
}
