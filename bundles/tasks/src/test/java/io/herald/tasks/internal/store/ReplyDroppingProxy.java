package io.herald.tasks.internal.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a free loopback port to a real redis-server that loses one reply on the way back: once armed, the
 * first reply of the given RESP type (its first byte; {@code $-1} and other negative replies excepted) is swallowed and
 * its connection cut, so the command ran on Redis and its caller sees a broken connection. Armed to go down as well,
 * it then cuts every connection and refuses new ones until {@link #heal()}, so that the caller's retries fail too.
 * Replies of other types (health pings get {@code +PONG}) pass. One reply per read is enough here: the store does not
 * pipeline these commands and their replies are small.
 */
final class ReplyDroppingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int redisPort;
    private final AtomicInteger armedType = new AtomicInteger(-1);
    /** Text the reply to drop must contain, or empty for any. */
    private volatile String armedText = "";
    private final AtomicBoolean goDown = new AtomicBoolean();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicBoolean dropped = new AtomicBoolean();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    ReplyDroppingProxy(int redisPort) throws IOException {
        this.redisPort = redisPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Drops the next reply of {@code type} and cuts its connection; others go on. */
    void dropTheNextReplyOfType(char type) {
        armedText = "";
        arm(type, false);
    }

    /** Drops the next reply of {@code type}, then cuts every connection and refuses new ones until {@link #heal()}. */
    void dropTheNextReplyOfTypeAndGoDown(char type) {
        armedText = "";
        arm(type, true);
    }

    /**
     * As {@link #dropTheNextReplyOfTypeAndGoDown}, for the next reply of {@code type} that contains {@code text} (a
     * worker's claims are all arrays, most of them empty).
     */
    void dropTheNextReplyOfTypeContainingAndGoDown(char type, String text) {
        armedText = text;
        arm(type, true);
    }

    /** Whether the armed reply was dropped. */
    boolean dropped() {
        return dropped.get();
    }

    /** Accepts connections again. */
    void heal() {
        down.set(false);
    }

    private void arm(char type, boolean thenDown) {
        dropped.set(false);
        goDown.set(thenDown);
        armedType.set(type);
    }

    private void accept() {
        try {
            while (true) {
                Socket client = listener.accept();
                if (down.get()) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream;
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
                sockets.add(client);
                sockets.add(upstream);
                daemon(() -> pump(client, upstream, false));
                daemon(() -> pump(upstream, client, true));
            }
        } catch (IOException e) {
            // the listener was closed
        }
    }

    private void pump(Socket from, Socket to, boolean replies) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (replies && n > 1 && buffer[1] != '-' && buffer[0] == armedType.get() && contains(buffer, n)
                        && armedType.compareAndSet(buffer[0], -1)) {
                    if (goDown.get()) {
                        down.set(true);
                        List.copyOf(sockets).forEach(this::closeQuietly);
                    }
                    dropped.set(true);
                    return; // closes both sockets: the reply never arrives
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // either side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private boolean contains(byte[] buffer, int length) {
        String text = armedText;
        return text.isEmpty() || new String(buffer, 0, length, StandardCharsets.UTF_8).contains(text);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        List.copyOf(sockets).forEach(this::closeQuietly);
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static void daemon(Runnable body) {
        Thread thread = new Thread(body, "reply-dropping-proxy");
        thread.setDaemon(true);
        thread.start();
    }
}
