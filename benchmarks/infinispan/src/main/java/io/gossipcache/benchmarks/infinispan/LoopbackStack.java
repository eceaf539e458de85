package io.gossipcache.benchmarks.infinispan;

import io.gossipcache.benchmarks.member.MemberOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The JGroups stack of one Infinispan member: Infinispan's default TCP stack moved to 127.0.0.1 with TCPPING
 * discovery (template {@code jgroups-loopback.xml} next to this class).
 */
final class LoopbackStack {

    /**
     * FD_SOCK2 has no port of its own: it listens on transport port + offset, and a member finds a peer's
     * FD_SOCK2 at the peer's transport port + its own offset, so the offset must be the same on every member.
     * JGroups' default 100 puts member i ({@code B + i}) on {@code B + 100 + i}: the start of the system's aux
     * block (inside member 0's range of 10, which nothing else of Infinispan uses), one port per member.
     */
    static final int FD_SOCK_OFFSET = 100;
    /** One port exactly: a taken port fails the start instead of silently moving. */
    static final int FD_SOCK_PORT_RANGE = 0;

    /** Tuned: a member is suspected after 2 s without traffic (heartbeat every 500 ms), verified for 500 ms. */
    static final String TUNED_FD_ALL3 = "<FD_ALL3 timeout=\"2000\" interval=\"500\"/>";
    static final String TUNED_VERIFY_SUSPECT = "500ms";

    /** Defaults: Infinispan's tcp stack has a bare FD_ALL3 (JGroups' 40 s / 8 s) and VERIFY_SUSPECT2 1 s. */
    static final String DEFAULT_FD_ALL3 = "<FD_ALL3/>";
    static final String DEFAULT_VERIFY_SUSPECT = "1s";

    private LoopbackStack() {
    }

    static String xml(MemberOptions options) {
        String hosts = options.seedPorts().stream()
                .map(p -> MemberOptions.BIND_ADDRESS + "[" + p + "]")
                .collect(Collectors.joining(","));
        boolean tuned = options.tunedFailureDetection();
        return template()
                .replace("@BIND@", MemberOptions.BIND_ADDRESS)
                .replace("@PORT@", Integer.toString(options.port()))
                .replace("@INITIAL_HOSTS@", hosts)
                .replace("@FD_SOCK_OFFSET@", Integer.toString(FD_SOCK_OFFSET))
                .replace("@FD_SOCK_RANGE@", Integer.toString(FD_SOCK_PORT_RANGE))
                .replace("@FD_ALL3@", tuned ? TUNED_FD_ALL3 : DEFAULT_FD_ALL3)
                .replace("@VERIFY_SUSPECT_TIMEOUT@", tuned ? TUNED_VERIFY_SUSPECT : DEFAULT_VERIFY_SUSPECT);
    }

    private static String template() {
        try (InputStream in = LoopbackStack.class.getResourceAsStream("jgroups-loopback.xml")) {
            if (in == null) {
                throw new IllegalStateException("jgroups-loopback.xml is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
