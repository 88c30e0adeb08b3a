package io.herald.server.web.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/** Loopback ports for the tests. */
final class Ports {

    private Ports() {
    }

    /** A loopback port nothing listens on right now. */
    static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /** Polls until a connection attempt is refused; false if that never happens within 30 s (no timing asserted). */
    static boolean awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            } catch (ConnectException refused) {
                return true;
            } catch (IOException other) {
                // a timeout or reset: try again
            }
            Thread.sleep(20);
        }
        return false;
    }
}
