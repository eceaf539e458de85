package io.gossipcache.core.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.MergeView;
import org.jgroups.Message;
import org.jgroups.PhysicalAddress;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.NameCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * This member's membership in a JGroups cluster: joins and leaves, sends payloads to one or all members,
 * hands incoming payloads to a {@link MessageHandler}, and reports views and suspicions to
 * {@link ClusterListener}s, logging each change once.
 */
public final class Cluster implements Transport, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Cluster.class);

    /** How often a member refused by the cluster (another protocol major) tries to join again. */
    public static final Duration REJOIN_INTERVAL = Duration.ofSeconds(10);

    private final ClusterConfig config;
    private final MessageHandler handler;
    private final List<ClusterListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lifecycle = new Object();
    /** Written under {@code lifecycle} (connect, close); read without it by senders and JGroups' threads. */
    private volatile JChannel channel;
    /** The port of the last connection, tried first on a reconnect. Guarded by {@code lifecycle}. */
    private int lastPort = -1;
    /** Guarded by {@code lifecycle}. */
    private boolean exposureChecked;
    /** Whether the last join was refused (the next refusals log at DEBUG). Guarded by {@code lifecycle}. */
    private boolean refusedBefore;
    private volatile View jgroupsView;
    /** Each member's protocol and the lowest among them, read once per view instead of at every send. */
    private volatile ViewProtocols protocols;
    private volatile ClusterView view;

    public Cluster(ClusterConfig config, MessageHandler handler) {
        this.config = Objects.requireNonNull(config, "config");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.protocols = ViewProtocols.of(config.protocolVersion(), null);
        this.view = ClusterView.alone(new ClusterMember(config.nodeName(), "", true,
                config.protocolVersion().toString()));
    }

    public ClusterConfig config() {
        return config;
    }

    public void addListener(ClusterListener listener) {
        listeners.add(listener);
    }

    /** Builds the stack and joins (or founds) the cluster. Returns once this member is in a view. */
    public void connect() {
        synchronized (lifecycle) {
            if (channel != null) {
                return;
            }
            long start = System.nanoTime();
            JChannel ch;
            try {
                ch = open(lastPort);
            } catch (ClusterException e) {
                if (lastPort < 0) {
                    throw e;
                }
                ch = open(-1); // the old port range end is taken: any port of the range will do
            }
            channel = ch;
            refusedBefore = false;
            ClusterView current = view;
            log.info("Node {} at {} joined cluster '{}' in {} ms: {} member(s) {}, coordinator {}"
                    + " (protocol {}, JGroups {})", config.nodeName(), current.self().address(), config.clusterName(),
                    (System.nanoTime() - start) / 1_000_000, current.size(), names(current.members()),
                    current.coordinator().name(), current.self().protocol(), org.jgroups.Version.printVersion());
        }
    }

    /** Builds a channel and joins with it; views arrive during connect() and need {@link #channel} set. */
    private JChannel open(int preferredPort) {
        JChannel ch = JGroupsStack.create(config, preferredPort);
        // After the customizers' generators: JGroups keeps a key's first value, so a test can claim another version
        ch.addAddressGenerator(() -> config.protocolVersion().newAddress());
        if (ch.getProtocolStack().findProtocol(GMS.class) != null) { // also in a user's own stack
            ch.getProtocolStack().insertProtocolInStack(new VersionGate(config.protocolVersion(), config.nodeName(),
                    config.clusterName()), ch.getProtocolStack().findProtocol(GMS.class), ProtocolStack.Position.BELOW);
        }
        ch.getProtocolStack().insertProtocolAtTop(new ClusterEventTap(this::suspected));
        ch.setReceiver(new ChannelReceiver());
        ch.setDiscardOwnMessages(true);
        channel = ch;
        try {
            ch.connect(config.clusterName());
        } catch (Exception e) {
            channel = null;
            ch.close();
            if (hasCause(e, SecurityException.class)) { // VersionGate's join response
                String reason = rootMessage(e);
                boolean again = refusedBefore;
                refusedBefore = true;
                log.atLevel(again ? Level.DEBUG : Level.WARN).log("Node {} was refused by cluster '{}': {}; it serves"
                        + " nothing and tries again every {} s (see 'Upgrading' in the README)", config.nodeName(),
                        config.clusterName(), reason, REJOIN_INTERVAL.toSeconds());
                throw new ClusterException(ClusterException.Problem.REFUSED, "Refused by cluster '"
                        + config.clusterName() + "': " + reason, e);
            }
            boolean noPort = hasCause(e, java.net.BindException.class);
            throw new ClusterException(noPort ? ClusterException.Problem.NO_FREE_PORT : ClusterException.Problem.OTHER,
                    "Cannot join cluster '" + config.clusterName() + "' on " + config.bindAddress() + ":"
                            + config.bindPort() + "+" + config.portRange() + ": " + e.getMessage(), e);
        }
        if (!exposureChecked) { // once bound (not for a start that fails anyway); a return from local mode is the same
            exposureChecked = true;
            TP transport = ch.getProtocolStack().getTransport();
            ExposureCheck.warning(transport.getBindAddress(), transport.getBindPort(), JGroupsStack.isSecured(ch))
                    .ifPresent(log::warn);
        }
        return ch;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Leaves the cluster gracefully (the others see a leave at once) and closes every socket. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            JChannel ch = channel;
            if (ch == null) {
                return;
            }
            channel = null;
            Object physical = ch.down(new Event(Event.GET_PHYSICAL_ADDRESS, ch.getAddress()));
            if (physical instanceof org.jgroups.stack.IpAddress ip) {
                lastPort = ip.getPort();
            }
            ch.close();
            jgroupsView = null;
            protocols = ViewProtocols.of(config.protocolVersion(), null);
            view = ClusterView.alone(new ClusterMember(config.nodeName(), view.self().address(), true,
                    view.self().protocol()));
            log.info("Node {} left cluster '{}'", config.nodeName(), config.clusterName());
        }
    }

    public boolean isConnected() {
        JChannel ch = channel;
        return ch != null && ch.isConnected();
    }

    /** The current view ({@linkplain ClusterView#alone alone} when not connected). */
    public ClusterView view() {
        ClusterView current = view;
        View jv = jgroupsView;
        // A joiner's transport address may not be known yet when its view arrives: fill it in when it is.
        if (jv != null && current.members().stream().anyMatch(m -> m.address().isEmpty())) {
            current = describe(jv, self(), current.self());
            if (jgroupsView == jv) {
                view = current;
            }
        }
        return current;
    }

    private ClusterView describe(View jv, Address self, ClusterMember previousSelf) {
        List<ClusterMember> members = new ArrayList<>();
        for (Address a : jv.getMembers()) {
            members.add(toMember(a, self));
        }
        ClusterMember selfMember = members.stream().filter(ClusterMember::self).findFirst().orElse(previousSelf);
        return new ClusterView(jv.getViewId().getId(), members, members.get(0), selfMember, jv instanceof MergeView);
    }

    /** The current JGroups view, or {@code null} when not connected. For the engine's own addressing. */
    @Override
    public View currentView() {
        return jgroupsView;
    }

    /** This member's JGroups address, or {@code null} when not connected. */
    @Override
    public Address self() {
        JChannel ch = channel;
        return ch == null ? null : ch.getAddress();
    }

    @Override
    public ProtocolVersion protocol() {
        return config.protocolVersion();
    }

    /** As {@link Transport#protocolFor}, from the versions read when the view was installed. */
    @Override
    public ProtocolVersion protocolFor(Address destination) {
        return protocols.forDestination(destination);
    }

    /** The node name of a member's address. */
    @Override
    public String nameOf(Address address) {
        String name = NameCache.get(address);
        return name != null ? name : String.valueOf(address);
    }

    /**
     * Sends a payload reliably (per-sender FIFO) to one member, or to every other member when
     * {@code destination} is {@code null}. May block while flow control waits for credits: never call it
     * from a thread that must stay responsive.
     *
     * @return whether it was handed to JGroups (false when not connected)
     */
    @Override
    public boolean send(Address destination, byte[] payload) throws Exception {
        JChannel ch = channel;
        if (ch == null || !ch.isConnected()) {
            return false;
        }
        Message message = new BytesMessage(destination, payload);
        ch.send(message);
        return true;
    }

    private void suspected(Address address) {
        View current = jgroupsView;
        if (current == null || !current.containsMember(address)) {
            // a member that left gracefully closes its sockets after the view without it: not a failure
            log.debug("Node {} ignored a suspicion of {}, which is not in the view", config.nodeName(),
                    nameOf(address));
            return;
        }
        ClusterMember member = toMember(address, self());
        // JGroups passes a suspicion up once it is verified (or its port refused a connection): the member is leaving
        log.warn("Node {} suspects member {} ({}) has failed: verified, it leaves the view", config.nodeName(),
                member.name(), member.address());
        for (ClusterListener listener : listeners) {
            listener.memberSuspected(member);
        }
    }

    private void viewAccepted(View newView) {
        ClusterView previous = view;
        View previousJGroups = jgroupsView;
        Address self = self();
        ClusterView current = describe(newView, self, previous.self());
        protocols = ViewProtocols.of(config.protocolVersion(), newView);
        jgroupsView = newView;
        view = current;

        List<ClusterMember> joined = new ArrayList<>();
        List<ClusterMember> left = new ArrayList<>();
        if (previousJGroups != null) {
            for (Address a : newView.getMembers()) {
                if (!previousJGroups.containsMember(a)) {
                    joined.add(toMember(a, self));
                }
            }
            for (Address a : previousJGroups.getMembers()) {
                if (!newView.containsMember(a)) {
                    // gone from the transport already: describe it as the previous view knew it
                    String name = nameOf(a);
                    left.add(previous.members().stream().filter(m -> m.name().equals(name)).findFirst()
                            .orElseGet(() -> toMember(a, self)));
                }
            }
            logChange(newView, current, joined, left);
        }
        for (ClusterListener listener : listeners) {
            listener.viewChanged(previous, current, joined, left);
        }
    }

    private void logChange(View newView, ClusterView current, List<ClusterMember> joined, List<ClusterMember> left) {
        String summary = current.size() + " member(s) " + names(current.members()) + ", coordinator "
                + current.coordinator().name() + ", view " + current.viewId();
        if (newView instanceof MergeView merge) {
            String groups = merge.getSubgroups().stream()
                    .map(g -> g.getMembers().stream().map(this::nameOf).collect(Collectors.joining(", ", "[", "]")))
                    .collect(Collectors.joining(" + "));
            log.info("Partition healed in cluster '{}': subgroups {} merged; {}", config.clusterName(), groups, summary);
            return;
        }
        for (ClusterMember m : joined) {
            log.info("Member {} ({}) joined cluster '{}'; {}", m.name(), m.address(), config.clusterName(), summary);
        }
        for (ClusterMember m : left) {
            log.info("Member {} ({}) left cluster '{}'; {}", m.name(), m.address(), config.clusterName(), summary);
        }
    }

    private ClusterMember toMember(Address address, Address self) {
        String physical = "";
        JChannel ch = channel;
        if (ch != null) {
            Object p = ch.down(new Event(Event.GET_PHYSICAL_ADDRESS, address));
            if (p instanceof PhysicalAddress pa) {
                physical = pa.toString();
            }
        }
        return new ClusterMember(nameOf(address), physical, address.equals(self),
                ProtocolVersion.spokenBy(address).toString());
    }

    private static String names(List<ClusterMember> members) {
        return members.stream().map(ClusterMember::name).collect(Collectors.joining(", ", "[", "]"));
    }

    private final class ChannelReceiver implements Receiver {

        @Override
        public void receive(Message msg) {
            handler.onMessage(msg.getSrc(), msg.getArray(), msg.getOffset(), msg.getLength());
        }

        @Override
        public void viewAccepted(View newView) {
            Cluster.this.viewAccepted(newView);
        }
    }
}
