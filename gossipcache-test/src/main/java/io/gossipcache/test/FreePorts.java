package io.gossipcache.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Finds a block of consecutive free ports on 127.0.0.1 for one test cluster. */
final class FreePorts {

    private static final int LOWEST = 30_000;
    private static final int HIGHEST = 60_000;

    private FreePorts() {
    }

    /**
     * The first port of {@code size} consecutive ports that are free now, and of the ports 100 above them (JGroups'
     * failure detection listens at a member's port + 100).
     */
    static int block(int size) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = LOWEST + random.nextInt((HIGHEST - LOWEST) / 10) * 10;
            if (free(base, size) && free(base + 100, size)) {
                return base;
            }
        }
        throw new IllegalStateException("no block of " + size + " free ports on 127.0.0.1 between " + LOWEST
                + " and " + HIGHEST);
    }

    private static boolean free(int from, int size) {
        for (int port = from; port < from + size; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(false);
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}
