package io.gossipcache.sample.page;

import io.gossipcache.core.GossipCacheEngine;
import io.gossipcache.core.ReplicatedCache;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Where each node's HTTP API is, so that a node's cluster page can ask the others for their own figures: every node
 * puts its base URL under its node name into the replicated cache {@value #CACHE} once it is ready (a node that
 * joins later gets the others' in its state transfer). The sample app uses its own cluster to find its peers.
 */
@Component
public class NodeDirectory {

    /** The cache that maps node names to base URLs. */
    public static final String CACHE = "sample-nodes";
    private static final int MOST = 100;

    private final GossipCacheEngine engine;
    private final String address;

    public NodeDirectory(GossipCacheEngine engine, @Value("${server.address:127.0.0.1}") String address) {
        this.engine = engine;
        this.address = address;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        String port = event.getApplicationContext().getEnvironment().getProperty("local.server.port");
        if (port != null) {
            engine.cache(CACHE).put(engine.nodeName(), "http://" + host() + ":" + port);
        }
    }

    private String host() {
        return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    /** Node name to base URL, for the nodes known here (departed ones too, until they are overwritten). */
    public Map<String, String> urls() {
        ReplicatedCache cache = engine.cache(CACHE);
        Map<String, String> urls = new LinkedHashMap<>();
        cache.keys(null, null, MOST).keys().forEach(name -> {
            Object url = cache.get(name);
            if (url instanceof String s) {
                urls.put(String.valueOf(name), s);
            }
        });
        return urls;
    }
}
