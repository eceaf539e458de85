package io.gossipcache.core.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.jgroups.Address;
import org.jgroups.PhysicalAddress;
import org.jgroups.blocks.cs.Connection;
import org.jgroups.protocols.TCP;

/**
 * JGroups' TCP transport, made safe against a member that hangs (SIGSTOP, a frozen VM, a stalled network)
 * while others write to it. Two things go wrong in JGroups 5.5 when such a member's socket buffers fill:
 * <ul>
 *   <li>the bundler's single thread blocks writing to the hung member, and every other member stops hearing
 *       from this one (they suspected the healthy writer, measured). Sends therefore go through a bounded queue
 *       per connection ({@code non_blocking_sends}): only the hung member's queue stalls and drops, and the
 *       protocols above retransmit what it missed if it ever comes back;</li>
 *   <li>when the view drops the hung member, the transport closes its connection gracefully: it writes a close
 *       marker under the connection's output lock, which the sender blocked in a write that never returns
 *       still holds. That happens inside GMS's view installation, so the coordinator never installed the view
 *       without the hung member and every later view change waited behind it (measured: for minutes). This
 *       class closes the connections of members leaving the view first, without the marker, which releases the
 *       blocked write; JGroups' own close then finds them closed and skips the marker. Connections of
 *       non-members (a joiner still discovering) keep JGroups' graceful close.</li>
 * </ul>
 * On the wire it is plain TCP (every transport carries TP's protocol id).
 */
final class HungPeerSafeTcp extends TCP {

    /** Physical addresses of the members of the previous view (the transport passes physical ones). */
    private volatile Set<Address> previousMembers = Set.of();

    HungPeerSafeTcp() {
        nonBlockingSends(true);
    }

    @Override
    public void retainAll(Collection<Address> members) {
        Set<Address> previous = previousMembers;
        previousMembers = Set.copyOf(members);
        if (srv != null) {
            List<Connection> leaving = new ArrayList<>();
            srv.forAllConnections((address, connection) -> {
                if (isLeaving(address, previous, members, is_member)) {
                    leaving.add(connection);
                }
            });
            for (Connection connection : leaving) {
                try {
                    connection.close(false);
                } catch (Exception e) {
                    log.trace("%s: closing the connection to a former member: %s", getAddress(), e);
                }
            }
        }
        super.retainAll(members);
    }

    /**
     * Whether the connection to {@code address} belongs to a member that leaves with this view. Only those are
     * closed without the marker: any other connection JGroups drops here (a joiner's discovery connection, say)
     * keeps JGroups' graceful close.
     */
    static boolean isLeaving(Address address, Set<Address> previousMembers, Collection<Address> members,
                             Predicate<PhysicalAddress> stillMember) {
        return previousMembers.contains(address) && !members.contains(address)
                && !(address instanceof PhysicalAddress physical && stillMember.test(physical));
    }
}
