package io.gossipcache.benchmarks.hazelcast;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.BuildInfoProvider;
import com.hazelcast.replicatedmap.ReplicatedMap;

import io.gossipcache.benchmarks.member.CacheSystem;
import io.gossipcache.benchmarks.member.MemberOptions;

import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hazelcast as a scenario peer: one {@code ReplicatedMap<String, byte[]>} (every member holds all entries and
 * replicates writes asynchronously), TCP-IP join on 127.0.0.1 (see {@link LoopbackConfig}).
 */
public final class HazelcastSystem implements CacheSystem {

    // Held so that the level stays set (JUL keeps loggers weakly).
    private static final Logger QUIET = Logger.getLogger("com.hazelcast");

    private HazelcastInstance instance;
    private ReplicatedMap<String, byte[]> map;

    @Override
    public String name() {
        return "hazelcast";
    }

    @Override
    public String version() {
        return BuildInfoProvider.getBuildInfo().getVersion();
    }

    @Override
    public String describe(MemberOptions options) {
        String fd = options.tunedFailureDetection()
                ? "tuned failure detection: deadline detector, heartbeat every " + LoopbackConfig.TUNED_HEARTBEAT_SECONDS
                        + " s, suspected after " + LoopbackConfig.TUNED_MAX_NO_HEARTBEAT_SECONDS + " s without one"
                : "Hazelcast's default failure detection: deadline detector, heartbeat every 5 s, suspected after "
                        + "60 s without one";
        return "Hazelcast " + version() + " (open source) ReplicatedMap<String, byte[]> (every member holds every "
                + "entry; a put(k, v) / put(k, v, ttl, MILLISECONDS) is applied by the key's partition owner, "
                + "which answers the caller and then replicates to the other members asynchronously; in-memory "
                + "format OBJECT; reads and sizes are local; a joiner pulls the entries in the background). "
                + "Hazelcast's own TCP transport on " + MemberOptions.BIND_ADDRESS + ":"
                + options.port() + " only (interfaces 127.0.0.1, bind-any off, no port auto-increment), TCP-IP "
                + "join over the scenario's ports, multicast and auto-detection off, phone-home, REST, memcache, "
                + "Jet and health monitoring off; Hazelcast's default serialization (byte[] as a built-in type); "
                + fd + ".";
    }

    @Override
    public void start(MemberOptions options) {
        QUIET.setLevel(Level.WARNING);
        instance = Hazelcast.newHazelcastInstance(LoopbackConfig.of(options));
        try {
            verifyAddress(options);
            // newHazelcastInstance returns once this member has joined (or formed) the cluster; the map is
            // created here, and a joiner's ReplicatedMap is filled by Hazelcast in the background.
            map = instance.getReplicatedMap(LoopbackConfig.MAP_NAME);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Hazelcast picks its address itself: refuse to run a member that is not on 127.0.0.1:port. */
    private void verifyAddress(MemberOptions options) {
        Address address = instance.getCluster().getLocalMember().getAddress();
        if (!MemberOptions.BIND_ADDRESS.equals(address.getHost()) || address.getPort() != options.port()) {
            throw new IllegalStateException("Refusing to run the Hazelcast member: it is on " + address
                    + ", not " + MemberOptions.BIND_ADDRESS + ":" + options.port());
        }
    }

    @Override
    public void put(String key, byte[] value) {
        map.put(key, value);
    }

    @Override
    public void put(String key, byte[] value, long ttlMillis) {
        map.put(key, value, ttlMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public byte[] get(String key) {
        return map.get(key);
    }

    @Override
    public long localSize() {
        return map.size();
    }

    @Override
    public int viewSize() {
        return instance.getCluster().getMembers().size();
    }

    @Override
    public void close() {
        if (instance != null) {
            instance.shutdown();
            instance = null;
        }
    }
}
