package io.gossipcache.benchmarks.infinispan;

import io.gossipcache.benchmarks.member.MemberOptions;

import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.remoting.transport.Transport;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.protocols.Discovery;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;

/**
 * Refuses a member whose JGroups stack is not the one the results table describes: JGroups can fall back to
 * another address or keep a protocol we meant to replace, and a benchmark must not run on it silently.
 */
final class BindCheck {

    private BindCheck() {
    }

    static void verify(EmbeddedCacheManager manager, MemberOptions options) {
        Transport transport = GlobalComponentRegistry.componentOf(manager, Transport.class);
        if (!(transport instanceof JGroupsTransport jgroups)) {
            throw new IllegalStateException("expected a JGroups transport, got " + transport);
        }
        ProtocolStack stack = jgroups.getChannel().getProtocolStack();
        TP tp = stack.getTransport();
        require(tp.getBindAddress() != null
                && MemberOptions.BIND_ADDRESS.equals(tp.getBindAddress().getHostAddress())
                && tp.getBindPort() == options.port(), "TCP bound to " + tp.getBindAddress() + ":" + tp.getBindPort());
        require(!tp.getDiagnosticsHandler().isEnabled(), "JGroups diagnostics are on");
        FD_SOCK2 fd = stack.findProtocol(FD_SOCK2.class);
        require(fd != null && fd.getBindAddress() != null
                && MemberOptions.BIND_ADDRESS.equals(fd.getBindAddress().getHostAddress()),
                "FD_SOCK2 bound to " + (fd == null ? "(absent)" : fd.getBindAddress()));
        for (var protocol : stack.getProtocols()) {
            require(!(protocol instanceof Discovery) || protocol instanceof TCPPING,
                    "discovery protocol " + protocol.getName() + " besides TCPPING");
        }
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("Refusing to run the Infinispan member: " + what);
        }
    }
}
