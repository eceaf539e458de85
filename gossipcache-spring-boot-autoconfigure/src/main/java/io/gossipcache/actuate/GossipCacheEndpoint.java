package io.gossipcache.actuate;

import io.gossipcache.core.Mode;
import io.gossipcache.spring.GossipCacheNode;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code gossipcache} endpoint. {@code GET} answers this node's view of the cluster: {@code node},
 * {@code mode}, {@code cluster}, {@code coordinator}, {@code members} ({@code name}, {@code address},
 * {@code self}), {@code caches} (name → {@code size}), plus {@code viewId}, {@code running} and
 * {@code lastMerge}. {@code POST} with {@code {"mode":"LOCAL"}} or {@code {"mode":"CLUSTERED"}} (any case) switches
 * this node's mode and answers the same document; another mode is a 400.
 */
@Endpoint(id = "gossipcache")
public class GossipCacheEndpoint {

    private final GossipCacheNode node;

    public GossipCacheEndpoint(GossipCacheNode node) {
        this.node = Objects.requireNonNull(node, "node");
    }

    @ReadOperation
    public Map<String, Object> cluster() {
        return GossipCacheDocument.of(node);
    }

    @WriteOperation
    public Map<String, Object> switchMode(String mode) {
        Mode target = parse(mode);
        node.switchMode(target);
        return GossipCacheDocument.of(node);
    }

    private static Mode parse(String mode) {
        String normalized = mode == null ? "" : mode.trim().toUpperCase(Locale.ROOT);
        for (Mode m : Mode.values()) {
            if (m.name().equals(normalized)) {
                return m;
            }
        }
        String reason = "Unknown mode '" + mode + "': expected one of " + Arrays.toString(Mode.values());
        throw new InvalidEndpointRequestException(reason, reason);
    }
}
