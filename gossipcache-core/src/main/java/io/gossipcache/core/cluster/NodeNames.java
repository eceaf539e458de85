package io.gossipcache.core.cluster;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** Default node names: host, process id, and a counter so that members in one JVM differ. */
final class NodeNames {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private NodeNames() {
    }

    static String generate() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "node";
        }
        int n = COUNTER.incrementAndGet();
        return host + "-" + ProcessHandle.current().pid() + (n > 1 ? "-" + n : "");
    }
}
