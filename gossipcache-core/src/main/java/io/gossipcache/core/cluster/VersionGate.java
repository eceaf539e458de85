package io.gossipcache.core.cluster;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.EmptyMessage;
import org.jgroups.Message;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.JoinRsp;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;
import org.jgroups.util.NameCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right below GMS and refuses a join or a merge from a member whose protocol major differs from this member's
 * ({@link ProtocolVersion#canTalkWith}): the request never reaches GMS, so the member is not added to the view, and
 * it receives a join response that fails with the reason (its {@code connect()} throws). One line per refused member
 * and version is logged here; the refused member logs its own.
 *
 * <p>Concurrency: {@code up} runs on JGroups' receiver threads; {@link #logged} is concurrent.
 */
final class VersionGate extends Protocol {

    private static final Logger log = LoggerFactory.getLogger(Cluster.class);
    private static final short GMS_ID = ClassConfigurator.getProtocolId(GMS.class);

    private final ProtocolVersion own;
    private final String nodeName;
    private final String clusterName;
    /** Node name and version of each member refused so far, so that a member that keeps trying is logged once. */
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    VersionGate(ProtocolVersion own, String nodeName, String clusterName) {
        this.own = own;
        this.nodeName = nodeName;
        this.clusterName = clusterName;
    }

    @Override
    public Object up(Message msg) {
        return admit(msg) ? up_prot.up(msg) : null;
    }

    @Override
    public void up(MessageBatch batch) {
        for (Iterator<Message> it = batch.iterator(); it.hasNext(); ) {
            if (!admit(it.next())) {
                it.remove();
            }
        }
        if (!batch.isEmpty()) {
            up_prot.up(batch);
        }
    }

    /** Whether a message may go up: anything but a join or merge request from a member of another major. */
    private boolean admit(Message msg) {
        if (!(msg.getHeader(GMS_ID) instanceof GMS.GmsHeader header)) {
            return true;
        }
        byte type = header.getType();
        boolean join = type == GMS.GmsHeader.JOIN_REQ || type == GMS.GmsHeader.JOIN_REQ_WITH_STATE_TRANSFER;
        if (!join && type != GMS.GmsHeader.MERGE_REQ) {
            return true;
        }
        Address sender = msg.getSrc();
        ProtocolVersion theirs = ProtocolVersion.spokenBy(sender);
        if (own.canTalkWith(theirs)) {
            return true;
        }
        String name = NameCache.get(sender);
        String reason = "node " + nodeName + " of cluster '" + clusterName + "' speaks gossipcache protocol " + own
                + " and does not admit protocol " + theirs + " (another major version)";
        if (logged.add(name + "@" + theirs)) {
            log.warn("Node {} refused {} of {} to cluster '{}': it speaks gossipcache protocol {}, this cluster {};"
                    + " it stays out (see 'Upgrading' in the README)", nodeName, join ? "the join" : "a merge", name,
                    clusterName, theirs, own);
        }
        if (join) {
            down_prot.down(new BytesMessage(sender).putHeader(GMS_ID, new GMS.GmsHeader(GMS.GmsHeader.JOIN_RSP))
                    .setArray(GMS.marshal(new JoinRsp(reason))));
        } else {
            down_prot.down(new EmptyMessage(sender).setFlag(Message.Flag.OOB).putHeader(GMS_ID,
                    new GMS.GmsHeader(GMS.GmsHeader.MERGE_RSP).mergeId(header.getMergeId()).setMergeRejected(true)));
        }
        return false;
    }
}
