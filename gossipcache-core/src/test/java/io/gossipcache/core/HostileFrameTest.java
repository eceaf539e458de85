package io.gossipcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.jgroups.Version;
import org.jgroups.blocks.cs.Connection;
import org.jgroups.stack.IpAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A process that speaks JGroups' TCP handshake to a member's cluster port and then announces a frame of almost
 * 2 GB: the member must close that connection instead of allocating the buffer, and go on serving its cluster.
 */
class HostileFrameTest {

    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aHugeFrameLengthClosesTheConnectionAndNothingElse() throws Exception {
        cluster = new TestCluster("hostile-frame");
        GossipCacheEngine member = cluster.start("member");
        member.cache("c").put("k", "v");

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), cluster.basePort)) {
            socket.setSoTimeout(100);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            IpAddress claimed = new IpAddress("127.0.0.1", cluster.basePort + 8);
            out.write(Connection.cookie);
            out.writeShort(Version.version);
            out.writeShort(claimed.serializedSize());
            claimed.writeTo(out);
            out.writeInt(2_000_000_000); // a frame length, and then nothing
            out.flush();
            InputStream in = socket.getInputStream();
            await().atMost(TestCluster.WAIT).until(() -> closedByPeer(in));
        }

        assertThat(member.cache("c").get("k")).isEqualTo("v");
        GossipCacheEngine joiner = cluster.start("joiner");
        await().atMost(TestCluster.WAIT).until(() -> "v".equals(joiner.cache("c").get("k")));
    }

    private static boolean closedByPeer(InputStream in) throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
