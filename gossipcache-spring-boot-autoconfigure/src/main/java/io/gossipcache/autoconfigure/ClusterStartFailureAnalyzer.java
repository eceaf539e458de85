package io.gossipcache.autoconfigure;

import io.gossipcache.core.cluster.ClusterException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Start-up failures of the cluster member that a setting fixes, reported as Boot's "APPLICATION FAILED TO START"
 * with the property to change instead of a stack trace: a bind address this host does not have, every port of the
 * range taken. Anything else keeps its stack trace.
 */
class ClusterStartFailureAnalyzer extends AbstractFailureAnalyzer<ClusterException> {

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, ClusterException cause) {
        return switch (cause.problem()) {
            case BIND_ADDRESS_NOT_LOCAL -> new FailureAnalysis(
                    "The gossipcache cluster member cannot bind its address. " + cause.getMessage() + ".",
                    "Set gossipcache.cluster.bind-address to an address of this host: 127.0.0.1 keeps the cluster on"
                            + " this machine; across hosts use the host's own address, a host name that resolves to"
                            + " it, or a JGroups symbol such as SITE_LOCAL or match-interface:eth.*.",
                    cause);
            case NO_FREE_PORT -> new FailureAnalysis(
                    "The gossipcache cluster member found no free port. " + cause.getMessage() + ".",
                    "Stop whatever holds those ports, or give the members more room: raise"
                            + " gossipcache.cluster.port-range (every member on one host needs a port of the range)"
                            + " or move gossipcache.cluster.bind-port.",
                    cause);
            case REFUSED, OTHER -> null; // a refused member starts and stays out (its health says why)
        };
    }
}
