package io.gossipcache.benchmarks.infinispan;

import io.gossipcache.benchmarks.member.CacheSystem;
import io.gossipcache.benchmarks.member.MemberOptions;

import org.infinispan.AdvancedCache;
import org.infinispan.commons.util.Version;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.context.Flag;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;

import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Infinispan embedded as a scenario peer: one REPL_ASYNC cache of {@code String -> byte[]} over Infinispan's
 * default TCP stack moved to 127.0.0.1 with TCPPING discovery (see {@link LoopbackStack}).
 */
public final class InfinispanSystem implements CacheSystem {

    static final String CACHE_NAME = "bench";

    // Held so that the levels stay set (JUL keeps loggers weakly); Infinispan and JGroups log through JUL here.
    private static final Logger[] QUIET = {Logger.getLogger("org.infinispan"), Logger.getLogger("org.jgroups")};

    private EmbeddedCacheManager manager;
    /** Puts: no previous value is fetched or returned (the peer does no extra work our put does not do). */
    private AdvancedCache<String, byte[]> writes;
    /** Reads and sizes: this member's data only, never a remote lookup. */
    private AdvancedCache<String, byte[]> localReads;

    @Override
    public String name() {
        return "infinispan";
    }

    @Override
    public String version() {
        return Version.getVersion();
    }

    @Override
    public String describe(MemberOptions options) {
        String fd = options.tunedFailureDetection()
                ? "tuned failure detection: FD_SOCK2 + FD_ALL3 timeout 2 s / interval 500 ms + VERIFY_SUSPECT2 500 ms"
                : "Infinispan's default failure detection: FD_SOCK2 + FD_ALL3 (JGroups defaults, timeout 40 s / "
                        + "interval 8 s) + VERIFY_SUSPECT2 1 s";
        return "Infinispan " + version() + " embedded, one REPL_ASYNC cache (String keys, byte[] values, default "
                + "ProtoStream marshaller, heap storage, no eviction; puts with IGNORE_RETURN_VALUES, TTL as "
                + "lifespan, reads and sizes with CACHE_MODE_LOCAL/SKIP_REMOTE_LOOKUP; state transfer on, the "
                + "joiner waits for the initial transfer). JGroups " + org.jgroups.Version.printVersion()
                + " with Infinispan's default TCP stack (transfer-queue bundler, NAKACK2, UNICAST3, UFC/MFC, "
                + "FRAG4) except: TCP on " + MemberOptions.BIND_ADDRESS + ":" + options.port()
                + " only, TCPPING over the scenario's ports instead of MPING (no multicast), diagnostics off, "
                + "FD_SOCK2 on " + MemberOptions.BIND_ADDRESS + ":" + (options.port() + LoopbackStack.FD_SOCK_OFFSET)
                + " (transport port + 100); " + fd + ".";
    }

    @Override
    public void start(MemberOptions options) {
        for (Logger logger : QUIET) {
            logger.setLevel(Level.WARNING);
        }
        GlobalConfigurationBuilder global = GlobalConfigurationBuilder.defaultClusteredBuilder();
        global.transport()
                .clusterName(options.clusterName())
                .nodeName(options.memberName())
                .addProperty(JGroupsTransport.CONFIGURATION_XML, LoopbackStack.xml(options));
        global.jmx().enabled(false);
        // No Micrometer on the classpath anyway; off so that Infinispan does not warn about it at every start.
        global.metrics().gauges(false).histograms(false);

        ConfigurationBuilder cache = new ConfigurationBuilder();
        // State transfer stays on with its defaults: getCache() returns after the initial transfer (S5).
        cache.clustering().cacheMode(CacheMode.REPL_ASYNC);

        manager = new DefaultCacheManager(global.build(), false);
        AdvancedCache<String, byte[]> advanced;
        try {
            manager.defineConfiguration(CACHE_NAME, cache.build());
            manager.start();
            BindCheck.verify(manager, options);
            advanced = manager.<String, byte[]>getCache(CACHE_NAME).getAdvancedCache();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        writes = advanced.withFlags(Flag.IGNORE_RETURN_VALUES);
        localReads = advanced.withFlags(Flag.CACHE_MODE_LOCAL, Flag.SKIP_REMOTE_LOOKUP);
    }

    @Override
    public void put(String key, byte[] value) {
        writes.put(key, value);
    }

    @Override
    public void put(String key, byte[] value, long ttlMillis) {
        writes.put(key, value, ttlMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public byte[] get(String key) {
        return localReads.get(key);
    }

    @Override
    public long localSize() {
        return localReads.size();
    }

    @Override
    public int viewSize() {
        return manager.getMembers().size();
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.stop();
            manager = null;
        }
    }
}
