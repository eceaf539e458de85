package io.gossipcache.core.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The sockets this JVM holds, read from /proc (Linux): protocol, local address and TCP state. */
final class OpenSockets {

    record Socket(String protocol, String localAddress, int port, String state) {
        boolean listening() {
            return protocol.startsWith("udp") || state.equals("0A");
        }
    }

    private OpenSockets() {
    }

    static List<Socket> ofThisProcess() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException ignored) {
                    // fd closed meanwhile
                }
            }
        }
        List<Socket> sockets = new ArrayList<>();
        for (String protocol : List.of("tcp", "tcp6", "udp", "udp6")) {
            Path table = Path.of("/proc/self/net", protocol);
            if (!Files.exists(table)) {
                continue;
            }
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && inodes.contains(f[9])) {
                    String[] local = f[1].split(":");
                    sockets.add(new Socket(protocol, hexAddress(local[0]), Integer.parseInt(local[1], 16), f[3]));
                }
            }
        }
        return sockets;
    }

    /** /proc writes addresses as little-endian 32-bit words in hex. */
    private static String hexAddress(String hex) {
        if (hex.length() == 8) {
            long v = Long.parseLong(hex, 16);
            return (v & 0xFF) + "." + ((v >> 8) & 0xFF) + "." + ((v >> 16) & 0xFF) + "." + ((v >> 24) & 0xFF);
        }
        StringBuilder out = new StringBuilder();
        for (int word = 0; word < 4; word++) {
            String w = hex.substring(word * 8, word * 8 + 8);
            for (int b = 3; b >= 0; b--) {
                out.append(w, b * 2, b * 2 + 2);
            }
        }
        return "ipv6:" + out.toString().toLowerCase();
    }
}
