package io.gossipcache.benchmarks.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.spi.properties.ClusterProperty;

import io.gossipcache.benchmarks.member.MemberOptions;

/**
 * The programmatic Hazelcast configuration of one scenario member: TCP-IP join on 127.0.0.1 only, nothing
 * that multicasts, phones home or opens another listener.
 */
final class LoopbackConfig {

    static final String MAP_NAME = "bench";

    /** Tuned: a heartbeat every second, suspected after 2 s without one (one late heartbeat tolerated). */
    static final int TUNED_HEARTBEAT_SECONDS = 1;
    static final int TUNED_MAX_NO_HEARTBEAT_SECONDS = 2;

    private LoopbackConfig() {
    }

    static Config of(MemberOptions options) {
        Config config = new Config();
        config.setClusterName(options.clusterName());
        config.setInstanceName(options.memberName());

        // JUL at WARNING (set by HazelcastSystem): the member's output stays small.
        config.setProperty(ClusterProperty.LOGGING_TYPE.getName(), "jdk");
        config.setProperty(ClusterProperty.PHONE_HOME_ENABLED.getName(), "false");
        config.setProperty(ClusterProperty.HEALTH_MONITORING_LEVEL.getName(), "OFF");
        // Hazelcast binds the server socket to 0.0.0.0 unless told not to, even with interfaces set.
        config.setProperty(ClusterProperty.SOCKET_BIND_ANY.getName(), "false");
        config.setProperty(ClusterProperty.SOCKET_SERVER_BIND_ANY.getName(), "false");
        config.setProperty(ClusterProperty.SOCKET_CLIENT_BIND_ANY.getName(), "false");
        config.setProperty("hazelcast.local.localAddress", MemberOptions.BIND_ADDRESS);
        if (options.tunedFailureDetection()) {
            config.setProperty(ClusterProperty.HEARTBEAT_FAILURE_DETECTOR_TYPE.getName(), "deadline");
            config.setProperty(ClusterProperty.HEARTBEAT_INTERVAL_SECONDS.getName(),
                    Integer.toString(TUNED_HEARTBEAT_SECONDS));
            config.setProperty(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS.getName(),
                    Integer.toString(TUNED_MAX_NO_HEARTBEAT_SECONDS));
        }
        // Jet (stream processing) is not part of the comparison: off, no extra threads or memory.
        config.getJetConfig().setEnabled(false);

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(options.port()).setPortAutoIncrement(false).setPortCount(1);
        network.getInterfaces().setEnabled(true).addInterface(MemberOptions.BIND_ADDRESS);
        network.getRestApiConfig().setEnabled(false);
        network.getMemcacheProtocolConfig().setEnabled(false);

        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        for (int seed : options.seedPorts()) {
            join.getTcpIpConfig().addMember(MemberOptions.BIND_ADDRESS + ":" + seed);
        }

        // Async replication is how a ReplicatedMap works; Hazelcast's defaults otherwise (OBJECT format).
        config.getReplicatedMapConfig(MAP_NAME);
        return config;
    }
}
