package io.gossipcache.core.cluster;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.jgroups.Address;
import org.jgroups.util.ExtendedUUID;

/**
 * The gossipcache protocol a member speaks, {@code major.minor}. Every member carries its version in its JGroups
 * address (an {@link ExtendedUUID} entry), so every other member knows it from the view that brings the member in,
 * before any message.
 *
 * <p>The rule (docs/architecture.md, "Protocol versions and rolling upgrades"): members of one major talk; a
 * release reads every minor of its major up to its own and writes at the lowest version present, so an older member
 * never receives what it cannot read; a member of another major is refused at join ({@link VersionGate}).
 *
 * @param major incremented when a member of the previous major cannot talk with this one
 * @param minor incremented when the protocol grows in a way that this release can still speak the previous minor
 */
public record ProtocolVersion(int major, int minor) implements Comparable<ProtocolVersion> {

    /** The first versioned protocol: wire format 1. Also what a member whose address carries no version speaks. */
    public static final ProtocolVersion V1_0 = new ProtocolVersion(1, 0);

    /** Wire format 2: a write whose cache is the previous write's in the same message leaves the name out. */
    public static final ProtocolVersion V1_1 = new ProtocolVersion(1, 1);

    /**
     * Keys and values may be encoded with Apache Fory (the default codec's tag 10), which earlier versions cannot
     * read; the messages are wire format 2, as in 1.1.
     */
    public static final ProtocolVersion V1_2 = new ProtocolVersion(1, 2);

    /**
     * Partitioned caches: the messages that read a key from its owners and move segments between owners. A cluster
     * partitions its caches only while every member speaks it; until then they are replicated, as before.
     */
    public static final ProtocolVersion V1_3 = new ProtocolVersion(1, 3);

    /** The version this release speaks unless told to speak an older one. */
    public static final ProtocolVersion CURRENT = V1_3;

    /**
     * The JGroups line (major.minor) of this protocol major: JGroups drops messages between members of different
     * lines, so a new line needs a new protocol major.
     */
    public static final String JGROUPS_LINE = "5.5";

    /** The versions this release can speak (and therefore read), oldest first. */
    public static final List<ProtocolVersion> SUPPORTED = List.of(V1_0, V1_1, V1_2, V1_3);

    /** The key of the version in a member's address: short, since the address travels with every message batch. */
    static final String ADDRESS_KEY = "gc.v";

    public ProtocolVersion {
        if (major < 0 || major > 255 || minor < 0 || minor > 255) {
            throw new IllegalArgumentException("protocol version out of range: " + major + "." + minor);
        }
    }

    /** Parses {@code major.minor}. */
    public static ProtocolVersion parse(String text) {
        String[] parts = text.trim().split("\\.");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a protocol version (major.minor): '" + text + "'");
        }
        try {
            return new ProtocolVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a protocol version (major.minor): '" + text + "'");
        }
    }

    /** The version a member's address carries, if it carries one. */
    public static Optional<ProtocolVersion> of(Address address) {
        if (address instanceof ExtendedUUID uuid) {
            byte[] bytes = uuid.get(ADDRESS_KEY);
            if (bytes != null) {
                try {
                    return Optional.of(parse(new String(bytes, StandardCharsets.US_ASCII)));
                } catch (IllegalArgumentException e) {
                    return Optional.empty(); // not ours to read
                }
            }
        }
        return Optional.empty();
    }

    /** The version a member speaks: the one its address carries, else {@link #V1_0} (it predates versioned ones). */
    public static ProtocolVersion spokenBy(Address address) {
        return of(address).orElse(V1_0);
    }

    /** A new random address that carries this version (JGroups' address generator for this member). */
    public ExtendedUUID newAddress() {
        return ExtendedUUID.randomUUID().put(ADDRESS_KEY, addressValue());
    }

    /** The version as its address carries it: text, since JGroups prints an address with its entries. */
    byte[] addressValue() {
        return toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether a member of this version and one of {@code other} can be in one cluster (same major). */
    public boolean canTalkWith(ProtocolVersion other) {
        return major == other.major;
    }

    /** Whether a member of this version reads keys and values encoded with Apache Fory. */
    public boolean readsFory() {
        return compareTo(V1_2) >= 0;
    }

    /** Whether a member of this version keeps the entries of partitioned caches on their owners only. */
    public boolean partitions() {
        return compareTo(V1_3) >= 0;
    }

    /** The older of the two. */
    public ProtocolVersion min(ProtocolVersion other) {
        return compareTo(other) <= 0 ? this : other;
    }

    @Override
    public int compareTo(ProtocolVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
