package io.gossipcache.core.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.jgroups.Address;
import org.jgroups.View;
import org.jgroups.util.NameCache;
import org.jgroups.util.ExtendedUUID;

/**
 * A network in memory for protocol tests: members are {@link Transport}s, a send only queues the payload, and the
 * test delivers what is queued, on its own thread, with {@link #deliverAll()}. Faults are injected deterministically
 * from a seed: loss, duplication and reordering of messages, and partitions. Every member sees one view (the members
 * that joined, in join order) unless a partition splits it.
 *
 * <p>Concurrency: sends may come from any thread (the protocols' own); everything else is for the test's thread.
 */
public final class InMemoryNetwork {

    /** Distinguishes the addresses of networks in one JVM (JGroups' name cache is global). */
    private static final java.util.concurrent.atomic.AtomicLong NETWORKS = new java.util.concurrent.atomic.AtomicLong();

    private final long networkId = NETWORKS.incrementAndGet();
    private final Random random;
    private final Map<Address, Member> members = new LinkedHashMap<>();
    private final Deque<Envelope> queue = new ArrayDeque<>();
    private long viewId;
    private long joined;
    private double lossRate;
    private double duplicationRate;
    private boolean reorder;
    private List<Set<Address>> partitions = List.of();
    private final Set<Address> muted = new HashSet<>();
    private long sent;
    private long dropped;

    /** @param seed the seed of every fault decision */
    public InMemoryNetwork(long seed) {
        this.random = new Random(seed);
    }

    /** A member of the current protocol that receives with {@code handler}; every member's view now includes it. */
    public Member join(String name, MessageHandler handler) {
        return join(name, handler, ProtocolVersion.CURRENT);
    }

    /** A member speaking {@code version} (its address says so, as a real member's does); every view now includes it. */
    public synchronized Member join(String name, MessageHandler handler, ProtocolVersion version) {
        Address address = new ExtendedUUID(networkId, ++joined)
                .put(ProtocolVersion.ADDRESS_KEY, version.addressValue());
        NameCache.add(address, name);
        Member member = new Member(address, name, handler, version);
        members.put(address, member);
        installViews();
        return member;
    }

    /** The member leaves: it is out of every view, and what was queued for it is dropped. */
    public synchronized void leave(Member member) {
        members.remove(member.address);
        member.view = null;
        queue.removeIf(e -> e.destination.equals(member.address));
        installViews();
    }

    /** Each message is lost with this probability. */
    public synchronized InMemoryNetwork loss(double rate) {
        this.lossRate = rate;
        return this;
    }

    /** Each message is delivered twice with this probability. */
    public synchronized InMemoryNetwork duplication(double rate) {
        this.duplicationRate = rate;
        return this;
    }

    /** Delivers queued messages in a random order instead of the order they were sent. */
    public synchronized InMemoryNetwork reorder(boolean on) {
        this.reorder = on;
        return this;
    }

    /** Everything {@code member} sends is lost from now on, without a view change (a one-way fault). */
    public synchronized void mute(Member member) {
        muted.add(member.address);
    }

    /** Splits the members into sides that cannot reach each other, each with a view of its own. */
    @SafeVarargs
    public final synchronized void partition(Collection<Member>... sides) {
        List<Set<Address>> split = new ArrayList<>();
        for (Collection<Member> side : sides) {
            Set<Address> addresses = new HashSet<>();
            side.forEach(m -> addresses.add(m.address));
            split.add(addresses);
        }
        partitions = split;
        installViews();
    }

    /** Joins the sides again: one view of every member. */
    public synchronized void heal() {
        partitions = List.of();
        installViews();
    }

    /**
     * Delivers queued messages, and those their handlers send, until none is left (or {@code max} were delivered,
     * against protocols that never go quiet).
     *
     * @return how many were delivered
     */
    public int deliverAll(int max) {
        int delivered = 0;
        Envelope next;
        while (delivered < max && (next = take()) != null) {
            Member target;
            synchronized (this) {
                target = members.get(next.destination);
            }
            if (target != null) {
                target.handler.onMessage(next.source, next.payload, 0, next.payload.length);
                delivered++;
            }
        }
        return delivered;
    }

    /** {@link #deliverAll(int)} with a bound of a million. */
    public int deliverAll() {
        return deliverAll(1_000_000);
    }

    /** Messages sent so far (before loss and duplication). */
    public synchronized long sent() {
        return sent;
    }

    /** Messages lost so far. */
    public synchronized long dropped() {
        return dropped;
    }

    private synchronized Envelope take() {
        if (queue.isEmpty()) {
            return null;
        }
        if (!reorder) {
            return queue.pollFirst();
        }
        List<Envelope> all = new ArrayList<>(queue);
        Envelope picked = all.remove(random.nextInt(all.size()));
        queue.clear();
        queue.addAll(all);
        return picked;
    }

    private synchronized void enqueue(Address source, Address destination, byte[] payload) {
        sent++;
        if (!reachable(source, destination) || muted.contains(source) || random.nextDouble() < lossRate) {
            dropped++;
            return;
        }
        queue.addLast(new Envelope(source, destination, payload));
        if (random.nextDouble() < duplicationRate) {
            queue.addLast(new Envelope(source, destination, payload));
        }
    }

    private boolean reachable(Address a, Address b) {
        return partitions.isEmpty() || partitions.stream().anyMatch(side -> side.contains(a) && side.contains(b));
    }

    private void installViews() {
        viewId++;
        for (Member member : members.values()) {
            List<Address> visible = new ArrayList<>();
            for (Address other : members.keySet()) {
                if (reachable(member.address, other)) {
                    visible.add(other);
                }
            }
            member.view = View.create(visible.get(0), viewId, visible);
        }
    }

    private record Envelope(Address source, Address destination, byte[] payload) {
    }

    /** One member's end of the network. */
    public final class Member implements Transport {

        private final Address address;
        private final String name;
        private final MessageHandler handler;
        private final ProtocolVersion version;
        private volatile View view;

        private Member(Address address, String name, MessageHandler handler, ProtocolVersion version) {
            this.address = address;
            this.name = name;
            this.handler = handler;
            this.version = version;
        }

        @Override
        public ProtocolVersion protocol() {
            return version;
        }

        public String name() {
            return name;
        }

        @Override
        public Address self() {
            return view == null ? null : address;
        }

        @Override
        public View currentView() {
            return view;
        }

        @Override
        public boolean send(Address destination, byte[] payload) {
            View current = view;
            if (current == null) {
                return false;
            }
            byte[] copy = payload.clone(); // a sender may not reuse it, but a receiver must not see a change
            if (destination != null) {
                enqueue(address, destination, copy);
                return true;
            }
            for (Address other : current.getMembers()) {
                if (!other.equals(address)) {
                    enqueue(address, other, copy);
                }
            }
            return true;
        }

        @Override
        public String nameOf(Address other) {
            String known = NameCache.get(other);
            return known != null ? known : String.valueOf(other);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
