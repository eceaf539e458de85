package io.gossipcache.spring;

import io.gossipcache.core.GossipCacheEngine;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;

/**
 * Joins the cluster when the application context starts and leaves it gracefully when it stops. It runs in an
 * early phase: the node has joined (and received the cluster's state) before a web server takes requests, and
 * leaves only after the web server has shut down. An engine cannot join again once it has left: a stopped
 * context is not restarted.
 */
public class GossipCacheLifecycle implements SmartLifecycle {

    /** Before the web server starts (it starts at {@code DEFAULT_PHASE - 2048}) and after it stops. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final GossipCacheEngine engine;
    private volatile boolean running;

    public GossipCacheLifecycle(GossipCacheEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    @Override
    public void start() {
        if (!running) {
            engine.start();
            running = true;
        }
    }

    @Override
    public void stop() {
        if (running) {
            running = false;
            engine.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
