package io.gossipcache.benchmarks.member;

import java.util.List;

/**
 * How one scenario member is started.
 *
 * @param memberName unique name of this member in the run, for example {@code node2}
 * @param clusterName cluster name shared by the members of one scenario run
 * @param port this member's transport port on 127.0.0.1
 * @param seedPorts transport ports of every member of the scenario (this one included), for TCPPING /
 *     TCP-IP join lists on 127.0.0.1
 * @param auxPortBase first port of a range of 10 this member may use for anything else (failure
 *     detection sockets and the like); unique per member. With a system's port base {@code B}, member
 *     {@code i} (from 0) has port {@code B + i} and aux ports {@code B + 100 + 10 * i} and up
 * @param tunedFailureDetection {@code false}: the system's own defaults for failure detection;
 *     {@code true}: the fastest settings the system documents for a LAN (scenario S4 "tuned")
 */
public record MemberOptions(
        String memberName,
        String clusterName,
        int port,
        List<Integer> seedPorts,
        int auxPortBase,
        boolean tunedFailureDetection) {

    /** The bind address of every member in every scenario. */
    public static final String BIND_ADDRESS = "127.0.0.1";

    public MemberOptions {
        seedPorts = List.copyOf(seedPorts);
    }
}
