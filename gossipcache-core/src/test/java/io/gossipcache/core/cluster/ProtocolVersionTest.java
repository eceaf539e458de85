package io.gossipcache.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipcache.core.replication.WireFormat;
import org.jgroups.Version;
import org.jgroups.util.ExtendedUUID;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

class ProtocolVersionTest {

    @Test
    void aMembersAddressCarriesItsVersionAndAnAddressWithoutOneSpeaks1_0() {
        for (ProtocolVersion version : ProtocolVersion.SUPPORTED) {
            assertThat(ProtocolVersion.of(version.newAddress())).hasValue(version);
        }
        assertThat(ProtocolVersion.of(UUID.randomUUID())).isEmpty();
        assertThat(ProtocolVersion.spokenBy(UUID.randomUUID())).isEqualTo(ProtocolVersion.V1_0);
        ExtendedUUID foreign = ExtendedUUID.randomUUID().put(ProtocolVersion.ADDRESS_KEY, new byte[] {9});
        assertThat(ProtocolVersion.of(foreign)).isEmpty();
        // JGroups prints an address with its entries: the version reads as text there
        assertThat(new ProtocolVersion(1, 1).newAddress().print()).endsWith("(gc.v=1.1)");
    }

    @Test
    void sameMajorTalksAndTheLowerIsTheMinimum() {
        ProtocolVersion v10 = ProtocolVersion.V1_0;
        ProtocolVersion v11 = ProtocolVersion.V1_1;
        ProtocolVersion v20 = new ProtocolVersion(2, 0);
        assertThat(v10.canTalkWith(v11)).isTrue();
        assertThat(v11.canTalkWith(v20)).isFalse();
        assertThat(v11.min(v10)).isEqualTo(v10);
        assertThat(v10.min(v11)).isEqualTo(v10);
        assertThat(v20.compareTo(new ProtocolVersion(1, 200))).isPositive();
        assertThat(ProtocolVersion.parse(" 1.1 ")).isEqualTo(v11);
        assertThat(v11).hasToString("1.1");
        assertThatThrownBy(() -> ProtocolVersion.parse("1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProtocolVersion.parse("1.x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProtocolVersion(256, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everySupportedVersionHasAFormatNoOlderThanThePreviousOnesAndTheCurrentOneIsTheNewest() {
        byte previous = 0;
        for (ProtocolVersion version : ProtocolVersion.SUPPORTED) {
            assertThat(WireFormat.format(version)).as("format of %s", version).isGreaterThanOrEqualTo(previous);
            previous = WireFormat.format(version);
            assertThat(version.canTalkWith(ProtocolVersion.CURRENT)).isTrue();
            assertThat(version).isLessThanOrEqualTo(ProtocolVersion.CURRENT);
        }
        assertThat(ProtocolVersion.SUPPORTED).last().isEqualTo(ProtocolVersion.CURRENT);
        assertThatThrownBy(() -> WireFormat.format(new ProtocolVersion(2, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSenderWritesAtTheLowestVersionAmongItsReceivers() {
        InMemoryNetwork network = new InMemoryNetwork(1);
        MessageHandler ignore = (source, buffer, offset, length) -> { };
        InMemoryNetwork.Member a = network.join("a", ignore);
        InMemoryNetwork.Member old = network.join("old", ignore, ProtocolVersion.V1_0);
        InMemoryNetwork.Member c = network.join("c", ignore);

        assertThat(a.protocolFor(null)).as("to everyone").isEqualTo(ProtocolVersion.V1_0);
        assertThat(a.protocolFor(c.self())).isEqualTo(ProtocolVersion.CURRENT);
        assertThat(a.protocolFor(old.self())).isEqualTo(ProtocolVersion.V1_0);
        assertThat(old.protocolFor(c.self())).as("never above its own").isEqualTo(ProtocolVersion.V1_0);
        network.leave(old);
        assertThat(a.protocolFor(null)).as("once the last older member left").isEqualTo(ProtocolVersion.CURRENT);
    }

    @Test
    void foryIsReadFromProtocol12On() {
        assertThat(ProtocolVersion.V1_0.readsFory()).isFalse();
        assertThat(ProtocolVersion.V1_1.readsFory()).isFalse();
        assertThat(ProtocolVersion.V1_2.readsFory()).isTrue();
        assertThat(ProtocolVersion.CURRENT.readsFory()).isTrue();
    }

    @Test
    void theJGroupsLineIsPartOfTheProtocol() {
        assertThat(Version.getMajor() + "." + Version.getMinor())
                .as("JGroups drops messages between lines: a new JGroups line needs a new protocol major"
                        + " (docs/architecture.md, 'Changing the wire format')")
                .isEqualTo(ProtocolVersion.JGROUPS_LINE);
    }

    @Test
    void aClusterConfigSpeaksOnlyASupportedVersion() {
        assertThat(ClusterConfig.builder().build().protocolVersion()).isEqualTo(ProtocolVersion.CURRENT);
        assertThat(ClusterConfig.builder().protocolVersion(ProtocolVersion.V1_0).build().protocolVersion())
                .isEqualTo(ProtocolVersion.V1_0);
        assertThat(ClusterConfig.builder().protocolVersion(new ProtocolVersion(2, 0)).problems())
                .containsExactly("protocol version 2.0 is not one this release speaks " + ProtocolVersion.SUPPORTED);
    }
}
