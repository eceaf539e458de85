package io.gossipcache.spring;

import io.gossipcache.core.GossipCacheEngine;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;

/**
 * Joins the cluster when the application context starts and leaves it gracefully when it stops. It runs in an
 * early phase: the node has joined before a web server takes requests, and leaves only after the web server has
 * shut down. With a {@link GossipCacheReadiness}, the cluster's state arrives in the background, so that a large
 * state does not hold the application's start (and its liveness) back, and readiness refuses traffic until it is
 * here; without one, start waits for the state. An engine cannot join again once it has left: a stopped context is
 * not restarted.
 */
public class GossipCacheLifecycle implements SmartLifecycle {

    /** Before the web server starts (it starts at {@code DEFAULT_PHASE - 2048}) and after it stops. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final GossipCacheEngine engine;
    private final boolean stateInBackground;
    private volatile boolean running;

    /** A lifecycle whose start waits for the cluster's state. */
    public GossipCacheLifecycle(GossipCacheEngine engine) {
        this(engine, false);
    }

    /**
     * @param stateInBackground whether start returns once joined, leaving the state to arrive in the background
     *                          (for an application whose readiness waits for it)
     */
    public GossipCacheLifecycle(GossipCacheEngine engine, boolean stateInBackground) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.stateInBackground = stateInBackground;
    }

    @Override
    public void start() {
        if (!running) {
            if (stateInBackground) {
                engine.startAsync();
            } else {
                engine.start();
            }
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
